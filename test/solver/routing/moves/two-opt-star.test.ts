import { describe } from 'vitest';
import { twoOptStar } from '../../../../solver/routing/moves/two-opt-star.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the two-opt-star move', () => {
  itKeepsTheMoveContract(twoOptStar);
});
