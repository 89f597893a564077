import { describe } from 'vitest';
import { pairRelocate } from '../../../../solver/routing/moves/pair-relocate.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the pair-relocate move', () => {
  itKeepsTheMoveContract(pairRelocate, ['shipments']);
});
