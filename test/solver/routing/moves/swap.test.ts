import { describe } from 'vitest';
import { swap } from '../../../../solver/routing/moves/swap.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the swap move', () => {
  itKeepsTheMoveContract(swap);
});
