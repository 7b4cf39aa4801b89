/**
 * The two connection settings, and how each adapter's users name them. The client and the core say
 * WHICH setting is wrong (`baseUrl`, `token`); the words a message uses for it come from the
 * `SettingNames` of the adapter the user talks to: a stack config key for the dynamic provider and
 * the plugin's default provider, an argument for an explicit provider, an environment variable for a
 * command line tool.
 */

export type ConnectionSetting = "baseUrl" | "token";

/** The environment variable each setting falls back to (the ones pulumi-gitlab reads too). */
export const CONNECTION_ENV: Readonly<Record<ConnectionSetting, string>> = Object.freeze({
  baseUrl: "GITLAB_BASE_URL",
  token: "GITLAB_TOKEN",
});

/** How the users of one adapter write and set one setting. */
export interface SettingName {
  /** As the user writes it: "gitlab:baseUrl", "the provider's token", "GITLAB_TOKEN". */
  name: string;
  /** The environment variable it falls back to, when that is not the setting itself. */
  envVar?: string;
  /** How to set it, as an instruction: "run `pulumi config set gitlab:baseUrl https://gitlab.example.com`". */
  howToSet: string;
}

export interface SettingNames extends Readonly<Record<ConnectionSetting, SettingName>> {
  /** What it takes, after setting it anew, for a changed setting to count, when that is more than setting it. */
  readonly takesEffect?: string;
}

// Without --run-program, refresh and destroy use the configuration saved with the stack's provider
// when the program last ran, not the current one: a rotated token only counts once the program runs.
const PULUMI_SAVED_SETTINGS =
  "run pulumi refresh --run-program (or pulumi destroy --run-program) or pulumi up: without --run-program, refresh and " +
  "destroy use the token saved with the stack's provider when the program last ran";

/** Settings read from stack config under `namespace` ("gitlab" for the dynamic provider, "gitlab-mirrors" for the plugin). */
export function stackConfigNames(namespace: string): SettingNames {
  const baseUrl = `${namespace}:baseUrl`;
  const token = `${namespace}:token`;
  return Object.freeze({
    baseUrl: { name: baseUrl, envVar: CONNECTION_ENV.baseUrl, howToSet: `run \`pulumi config set ${baseUrl} https://gitlab.example.com\`` },
    token: { name: token, envVar: CONNECTION_ENV.token, howToSet: `run \`pulumi config set --secret ${token} <token>\`` },
    takesEffect: PULUMI_SAVED_SETTINGS,
  });
}

/** Settings given as arguments of an explicit provider resource. */
export const PROVIDER_ARGUMENT_NAMES: SettingNames = Object.freeze({
  baseUrl: { name: "the provider's baseUrl", envVar: CONNECTION_ENV.baseUrl, howToSet: "give the provider resource a baseUrl" },
  token: { name: "the provider's token", envVar: CONNECTION_ENV.token, howToSet: "give the provider resource a token" },
  takesEffect: PULUMI_SAVED_SETTINGS,
});

/** Settings read from the environment alone, as a command line tool reads them. */
export const ENVIRONMENT_NAMES: SettingNames = Object.freeze({
  baseUrl: { name: CONNECTION_ENV.baseUrl, howToSet: `set ${CONNECTION_ENV.baseUrl}=https://gitlab.example.com` },
  token: { name: CONNECTION_ENV.token, howToSet: `set ${CONNECTION_ENV.token} to a token with the api scope` },
});

/** The stack config keys pulumi-gitlab reads: the dynamic provider's, and the client's when it is given none. */
export const GITLAB_CONFIG_NAMES: SettingNames = stackConfigNames("gitlab");

/** "gitlab:token (or GITLAB_TOKEN)": the setting and the variable it falls back to. */
export function nameWithFallback(setting: SettingName): string {
  return setting.envVar ? `${setting.name} (or ${setting.envVar})` : setting.name;
}

/** Why a missing setting is a problem and how to fix it, for a list of failures that names the setting first. */
export function notSetReason(setting: SettingName): string {
  return `is not set; ${setting.howToSet}${setting.envVar ? ` or set ${setting.envVar}` : ""}`;
}
