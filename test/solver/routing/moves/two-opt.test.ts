import { describe } from 'vitest';
import { twoOpt } from '../../../../solver/routing/moves/two-opt.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the two-opt move', () => {
  itKeepsTheMoveContract(twoOpt);
});
