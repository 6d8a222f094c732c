/** One metric value as a CloudWatch EMF line declares it, flattened for assertions. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  unit: string;
  value: unknown;
  /** The dimension values of the line, for the dimensions the metric is declared with. */
  dimensions: Record<string, string>;
  /** The dimension sets CloudWatch files the value under, each sorted. */
  dimensionSets: string[][];
}

/** Reads EMF lines (JSON documents with an `_aws.CloudWatchMetrics` directive) into one entry per metric. */
export function emittedMetrics(lines: readonly string[]): EmittedMetric[] {
  return lines.flatMap((line) => {
    const document = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
    };
    return document._aws.CloudWatchMetrics.flatMap((directive) => {
      const names = [...new Set(directive.Dimensions.flat())];
      const dimensions = Object.fromEntries(names.map((n) => [n, String(document[n])]));
      return directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: document[metric.Name],
        dimensions,
        dimensionSets: directive.Dimensions.map((set) => [...set].sort()),
      }));
    });
  });
}

/** The metrics of a given name. */
export const named = (metrics: EmittedMetric[], name: string) => metrics.filter((m) => m.name === name);
