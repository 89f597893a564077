import { describe } from 'vitest';
import { crossExchange } from '../../../../solver/routing/moves/cross-exchange.ts';
import { itKeepsTheMoveContract } from './contract.ts';

describe('the cross-exchange move', () => {
  itKeepsTheMoveContract(crossExchange);
});
