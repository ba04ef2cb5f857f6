/**
 * The one place this library reads the environment: where ThermoRawFileParser lives, for
 * callers (the CLI) that do not pass it explicitly.
 *
 *   THERMO_RAW_FILE_PARSER   path to ThermoRawFileParser (its .sh wrapper, a native build, or the
 *                            .exe, run with mono); default: looked up on PATH
 */
export interface InstrumentIoConfig {
  thermoRawFileParser: string | undefined;
  path: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): InstrumentIoConfig {
  return { thermoRawFileParser: env.THERMO_RAW_FILE_PARSER || undefined, path: env.PATH ?? '' };
}
