import type { ComposeProject, ServiceConfig } from '../loader/model.js';
import { VERSION } from '../version.js';
import { familiarName } from './image-reference.js';
import { LABEL } from './labels.js';
import { OperationGraph } from './operation-graph.js';
import type { Conflict, ImageBuild, ObservedImage, ObservedState, Operation, PlannedImage, PlanOptions } from './types.js';

const DAY_MS = 24 * 3600 * 1000;
const UNIT_MS: Record<string, number> = { w: 7 * DAY_MS, d: DAY_MS, h: 3600 * 1000, m: 60 * 1000, s: 1000 };

/** The image a service's containers are created from: `image:`, else compose's `<project>-<service>`. */
export function serviceImageName(project: ComposeProject, service: ServiceConfig): string {
  return service.image ?? `${project.name}-${service.name}`;
}

/** A service's pull policy with aliases resolved (`if_not_present` is `missing`); `missing` when unset. */
export function pullPolicyOf(service: ServiceConfig): string {
  const policy = typeof service.pull_policy === 'string' ? service.pull_policy : 'missing';
  return policy === 'if_not_present' ? 'missing' : policy;
}

/**
 * How long an image may age under a refresh policy (`daily`, `weekly`, `every_12h`, `refresh`
 * with `pull_refresh_after`), in milliseconds; undefined for other policies, 0 for "every time".
 */
export function refreshInterval(service: ServiceConfig): number | undefined {
  const policy = pullPolicyOf(service);
  if (policy === 'daily') return DAY_MS;
  if (policy === 'weekly') return 7 * DAY_MS;
  const every = policy === 'refresh' ? (typeof service.pull_refresh_after === 'string' ? service.pull_refresh_after : '') : policy.startsWith('every_') ? policy.slice('every_'.length) : undefined;
  if (every === undefined) return undefined;
  let total = 0;
  for (const [, amount, unit] of every.matchAll(/(\d+)([wdhms])/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** Images whose age the planner needs (services with a refresh policy): the observer inspects only these. */
export function imagesNeedingAge(project: ComposeProject): string[] {
  return Object.values(project.services)
    .filter((service) => service.image !== undefined && (refreshInterval(service) ?? 0) > 0)
    .map((service) => service.image!);
}

/** Finds an image on the engine by the name a service gives it. */
export function findImage(images: readonly ObservedImage[], name: string): ObservedImage | undefined {
  const wanted = familiarName(name);
  return images.find((image) => image.tags.includes(wanted) || image.tags.includes(name));
}

interface ImageDecision {
  action: PlannedImage['action'];
  cause: string;
}

/**
 * What to do about each image the selected services run, following pull_policy, `--pull`,
 * `--build` and `--no-build` as compose does. A missing image that may not be pulled or built
 * is a conflict: nothing is created.
 */
export function planImages(project: ComposeProject, services: readonly ServiceConfig[], state: ObservedState, options: PlanOptions): { images: PlannedImage[]; conflicts: Conflict[] } {
  const byName = new Map<string, PlannedImage>();
  const conflicts: Conflict[] = [];
  const now = state.observedAt ? Date.parse(state.observedAt) : 0;
  for (const service of services) {
    const name = serviceImageName(project, service);
    const known = byName.get(name);
    if (known) {
      known.services.push(service.name);
      continue;
    }
    // Not observed: taken to be there, so that plans made from bare container state stay as they were.
    const present = state.images === undefined ? { id: '', tags: [name] } : findImage(state.images, name);
    const decision = decideImage(service, present, options, now);
    if (decision.action === 'keep' && !present) {
      conflicts.push({ kind: 'image-missing', resource: `image:${name}`, message: `image ${name} of service "${service.name}" is not on the engine, and ${decision.cause}` });
    }
    const planned: PlannedImage = { name, services: [service.name], action: decision.action, cause: decision.cause, ...(present?.id ? { existingId: present.id } : {}) };
    if (decision.action === 'build') planned.build = imageBuild(project, service, name);
    byName.set(name, planned);
  }
  return { images: [...byName.values()], conflicts };
}

function decideImage(service: ServiceConfig, present: ObservedImage | undefined, options: PlanOptions, now: number): ImageDecision {
  const override = options.pull && options.pull !== 'policy' ? options.pull : undefined;
  const policy = override ?? pullPolicyOf(service);
  const policySays = override ? `--pull ${override}` : `pull_policy: ${policy}`;
  const buildable = service.build !== undefined && !options.noBuild;
  if (buildable) {
    if (options.build) return { action: 'build', cause: '--build' };
    if (policy === 'build') return { action: 'build', cause: policySays };
    if (!present) return { action: 'build', cause: 'not found' };
    return { action: 'keep', cause: 'present' };
  }
  if (policy === 'build') return { action: 'keep', cause: `${policySays} needs a build: section` };
  if (policy === 'never') return { action: 'keep', cause: present ? 'present' : `${policySays} forbids pulling it` };
  if (service.image === undefined) {
    const why = service.build === undefined ? 'the service has neither image: to pull nor build: to build it' : '--no-build forbids building it, and it has no image: to pull';
    return { action: 'keep', cause: present ? 'present' : why };
  }
  if (policy === 'always') return { action: 'pull', cause: policySays };
  if (!present) return { action: 'pull', cause: 'not found' };
  const interval = override ? undefined : refreshInterval(service);
  if (interval !== undefined) {
    const tagged = present.lastTagTime ? Date.parse(present.lastTagTime) : Number.NaN;
    if (interval === 0 || Number.isNaN(tagged) || tagged <= 0) return { action: 'pull', cause: policySays };
    if (now - tagged >= interval) return { action: 'pull', cause: `${policySays}: last pulled ${present.lastTagTime}` };
  }
  return { action: 'keep', cause: 'present' };
}

/** A service's build: section as POST /build takes it. */
function imageBuild(project: ComposeProject, service: ServiceConfig, name: string): ImageBuild {
  const build = service.build as Record<string, unknown>;
  // The loader has given value-less arguments the client's value, or left them out.
  const args = (build.args as Record<string, string> | undefined) ?? {};
  const labels = {
    ...((build.labels as Record<string, string> | undefined) ?? {}),
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.version]: VERSION,
  };
  const extraHosts = (build.extra_hosts as string[] | undefined)?.map((entry) => entry.replace('=', ':'));
  const inline = typeof build.dockerfile_inline === 'string' ? build.dockerfile_inline : undefined;
  return {
    service: service.name,
    context: build.context as string,
    ...(inline === undefined ? { dockerfile: (build.dockerfile as string | undefined) ?? 'Dockerfile' } : { dockerfileInline: inline }),
    query: {
      t: [name, ...((build.tags as string[] | undefined) ?? []).filter((tag) => tag !== name)],
      buildargs: args,
      labels,
      ...(typeof build.target === 'string' ? { target: build.target } : {}),
      ...(typeof build.network === 'string' ? { networkmode: build.network } : {}),
      ...(extraHosts && extraHosts.length > 0 ? { extrahosts: extraHosts } : {}),
      ...(build.no_cache === true ? { nocache: true } : {}),
      ...(build.pull === true ? { pull: true } : {}),
      rm: true,
      forcerm: true,
    },
  };
}

/** A PullImage or BuildImage operation for each image that is not kept; returns image name → operation id. */
export function addImageOperations(graph: OperationGraph, images: readonly PlannedImage[]): Map<string, number> {
  const ready = new Map<string, number>();
  for (const image of images) {
    if (image.action === 'pull') ready.set(image.name, graph.add({ kind: 'PullImage', image: image.name, cause: image.cause }));
    if (image.action === 'build' && image.build) ready.set(image.name, graph.add({ kind: 'BuildImage', image: image.name, cause: image.cause, body: image.build }));
  }
  return ready;
}

/** What `pull` (every image named by `image:`, whatever its policy) or `build` (every `build:` section) does for the given services. */
export interface ImageWork {
  images: PlannedImage[];
  operations: Operation[];
  /** Services left out: no image to pull, or nothing to build. */
  skipped: string[];
}

export function planImageWork(project: ComposeProject, state: ObservedState, work: 'pull' | 'build', options: { services?: readonly string[]; noCache?: boolean; pull?: boolean } = {}): ImageWork {
  const named = options.services && options.services.length > 0 ? options.services.map((name) => project.services[name]!) : Object.values(project.services);
  const wanted = (service: ServiceConfig) => (work === 'pull' ? service.image !== undefined : service.build !== undefined);
  const services = named.filter(wanted);
  const planOptions: PlanOptions = work === 'pull' ? { pull: 'always', noBuild: true } : { build: true };
  const { images } = planImages(project, services, state, planOptions);
  for (const image of images) {
    if (!image.build) continue;
    if (options.noCache) image.build.query.nocache = true;
    if (options.pull) image.build.query.pull = true;
  }
  const graph = new OperationGraph();
  addImageOperations(graph, images);
  return { images, operations: graph.operations, skipped: named.filter((service) => !wanted(service)).map((service) => service.name) };
}
