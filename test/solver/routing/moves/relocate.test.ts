import { describe } from 'vitest';
import { relocate } from '../../../../solver/routing/moves/relocate.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the relocate move', () => {
  itKeepsTheMoveContract(relocate);
});
