import { lambdaContext as context } from '../../src/cli/lambdaContext';

export const lambdaContext = () => context('keystop-test');
