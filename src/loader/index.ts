export { loadProject as load, type LoadOptions, type LoadResult, type LoadTarget } from './load.js';
export type { LoaderWarning } from './parse.js';
export type * from './model.js';
export { toComposeJson, toComposeYaml } from './serialize.js';
export { parseShortPort, parseLongPort } from './ports.js';
export { interpolate } from './interpolate.js';
export { normalizeProjectName } from './project-name.js';
