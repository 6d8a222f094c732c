import { lambdaContext as context } from '../../src/cli/sandbox/lambdaContext';

export const lambdaContext = () => context('keystop-test');
