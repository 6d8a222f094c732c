import type { CfnTemplate } from './packageTemplate';

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The template as CloudFormation would deploy it: conditions evaluated (on literal values, which is all osls leaves
 * in them), `Fn::If` replaced by its chosen branch, `AWS::NoValue` removed, resources whose condition is false dropped.
 */
export function resolveConditions(template: CfnTemplate): CfnTemplate {
  const conditions: Record<string, unknown> = (template as any).Conditions ?? {};
  const holds = (name: string): boolean => {
    const condition = conditions[name];
    if (condition === undefined) throw new Error(`no condition ${name} in the template`);
    return evaluate(condition);
  };
  const evaluate = (expression: any): boolean => {
    if (expression['Fn::Equals']) {
      const [a, b] = expression['Fn::Equals'].map(literal);
      return a === b;
    }
    if (expression['Fn::Not']) return !evaluate(expression['Fn::Not'][0]);
    if (expression['Fn::And']) return expression['Fn::And'].every(evaluate);
    if (expression['Fn::Or']) return expression['Fn::Or'].some(evaluate);
    if (expression.Condition) return holds(expression.Condition);
    throw new Error(`cannot evaluate condition ${JSON.stringify(expression)}`);
  };
  const resolve = (value: any): any => {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    if (value['Fn::If']) {
      const [name, then, otherwise] = value['Fn::If'];
      return resolve(holds(name) ? then : otherwise);
    }
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, resolve(v)])
        .filter(([, v]) => v !== NO_VALUE),
    );
  };
  const resources = Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Condition === undefined || holds(r.Condition));
  return { ...template, Resources: resolve(Object.fromEntries(resources)) };
}

function literal(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`cannot evaluate a condition on ${JSON.stringify(value)} before deployment`);
  return value;
}
