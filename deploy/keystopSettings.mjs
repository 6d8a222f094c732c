// An osls plugin (serverless.yml: plugins) that checks a deployment before anything is built: every param against
// Keystop's settings schema and the policy file against its policy schema (src/aws/checkDeployment.ts). A bad param
// fails `osls package`/`deploy` with one line naming it, instead of failing the first real finding at cold start.
// It also bundles the operator's policy file (param policiesFile) into every function.
import { require as tsRequire } from 'tsx/cjs/api';
import { tsImport } from 'tsx/esm/api';

export default class KeystopSettings {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.settingsFile = applySettingsFile(serverless, options);
    // `initialize` runs before serverless-esbuild's own (this plugin is listed first), so the bundle sees the policies.
    this.hooks = { initialize: () => this.check() };
  }

  async check() {
    const commands = this.serverless.processedInput.commands;
    if (!['package', 'deploy'].includes(commands[0]) || commands.length > 1) return;
    const { checkDeployment } = await tsImport('../src/aws/checkDeployment.ts', import.meta.url);
    const service = this.serverless.service;
    const result = await checkDeployment({
      configParams: this.serverless.configurationInput.params,
      stage: this.options.stage ?? service.provider.stage,
      cliParams: [this.options.param ?? []].flat(),
      serviceDir: this.serverless.serviceDir,
      service: { functions: service.functions, resources: service.resources },
    });
    if (result.problems.length > 0) {
      const where = this.settingsFile.found ? ` (stage ${this.settingsFile.stage} of ${this.settingsFile.path} and serverless.yml)` : '';
      throw new this.serverless.classes.Error(`Keystop settings${where}:\n${result.problems.join('\n')}`);
    }
    this.log.notice(
      this.settingsFile.found
        ? `Keystop: stage ${this.settingsFile.stage} takes its settings from ${this.settingsFile.path}`
        : `Keystop: no ${this.settingsFile.path}: stage ${this.settingsFile.stage} deploys with the defaults`,
    );
    // A list written with blanks ("AKIA…1, AKIA…2") deploys trimmed: the honey-key bus pattern must see "AKIA…2",
    // not " AKIA…2". Every string the param became in the resolved service takes the trimmed value.
    for (const [param, value] of Object.entries(result.normalized)) {
      const raw = this.rawParam(param);
      if (raw !== undefined) replaceStrings([service.provider, service.functions, service.resources], raw, value);
      this.log.notice(`Keystop: param ${param} deploys as "${value}"`);
    }
    service.custom.esbuild ??= {};
    const esbuild = service.custom.esbuild;
    esbuild.define = { ...esbuild.define, KEYSTOP_BUNDLED_POLICIES: JSON.stringify(JSON.stringify(result.policies)) };
    this.log.notice(`Keystop: ${result.policies.length} response policies from ${result.policiesFile}`);
  }

  rawParam(name) {
    const cli = [this.options.param ?? []].flat().find((item) => item.startsWith(`${name}=`));
    if (cli !== undefined) return cli.slice(name.length + 1).trimEnd();
    const params = this.serverless.configurationInput.params ?? {};
    return params[this.options.stage ?? this.serverless.service.provider.stage]?.[name] ?? params.default?.[name];
  }
}

/**
 * Puts the settings file's stage under serverless.yml's `params: <stage>:` before osls resolves any `${param:…}` (a
 * plugin's constructor runs before that), so that every param reads: --param, then the file, then serverless.yml.
 * Synchronous, hence tsx's require: osls builds plugins without awaiting them.
 */
function applySettingsFile(serverless, options) {
  const { readSettingsFile, settingsFilePath, stageSettingsOf } = tsRequire('../src/aws/settingsFile.ts', import.meta.url);
  const configured = serverless.configurationInput.provider?.stage;
  const stage = String(options.stage ?? (typeof configured === 'string' && !configured.includes('${') ? configured : 'prod'));
  let file;
  try {
    file = readSettingsFile(settingsFilePath(serverless.serviceDir));
  } catch (error) {
    throw new serverless.classes.Error(`Keystop settings: ${error.message}`);
  }
  if (file.found) {
    serverless.configurationInput.params ??= {};
    const params = serverless.configurationInput.params;
    params[stage] = { ...params[stage], ...stageSettingsOf(file, stage) };
  }
  return { path: file.path, found: file.found, stage };
}

function replaceStrings(nodes, from, to) {
  for (const node of nodes) {
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      if (value === from) node[key] = to;
      else replaceStrings([value], from, to);
    }
  }
}
