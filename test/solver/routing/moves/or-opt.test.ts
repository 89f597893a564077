import { describe } from 'vitest';
import { orOpt } from '../../../../solver/routing/moves/or-opt.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the or-opt move', () => {
  itKeepsTheMoveContract(orOpt);
});
