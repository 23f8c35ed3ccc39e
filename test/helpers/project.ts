import type Docker from 'dockerode';
import { afterAll } from 'vitest';
import type { EngineConnection } from '../../src/engine/client.js';
import { down, type DownRunOptions } from '../../src/usecases/down.js';
import { up, type UpOptions, type UpResult } from '../../src/usecases/up.js';
import type { Plan } from '../../src/planner/types.js';
import { fixture } from './fixtures.js';

export const PROJECT_LABEL = 'com.docker.compose.project';

/** Every engine resource carrying `com.docker.compose.project=<project>`, by name. */
export interface ProjectResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export async function projectResources(engine: EngineConnection, project: string): Promise<ProjectResources> {
  const { docker } = engine;
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => (c.Names.find((n) => n.lastIndexOf('/') === 0) ?? c.Names[0] ?? c.Id).replace(/^\//, '')).sort(),
    networks: networks.map((n) => n.Name).sort(),
    volumes: (volumes.Volumes ?? []).map((v) => v.Name).sort(),
  };
}

export const NOTHING: ProjectResources = { containers: [], networks: [], volumes: [] };

/** Removes whatever still carries the project's label (after a failed down): containers, then networks, then volumes. */
export async function forceRemoveProject(engine: EngineConnection, project: string): Promise<void> {
  const { docker } = engine;
  const left = await projectResources(engine, project);
  await Promise.allSettled(left.containers.map((name) => docker.getContainer(name).remove({ force: true, v: true })));
  await Promise.allSettled(left.networks.map((name) => docker.getNetwork(name).remove()));
  await Promise.allSettled(left.volumes.map((name) => docker.getVolume(name).remove({ force: true })));
}

export interface FixtureProject {
  /** Project name (`-p`). */
  name: string;
  /** Directory of the fixture. */
  dir: string;
  /** Brings it up (`up({ workingDir, environment: {}, projectName })`), with extra options such as `files`. */
  up(options?: Partial<UpOptions>): Promise<UpResult>;
  /** Takes it down. */
  down(options?: Partial<DownRunOptions>): Promise<Plan>;
  /** Container name of a service's replica: `<project>-<service>-<n>`. */
  container(service: string, number?: number): string;
  /** Network name of a network key: `<project>_<key>`. */
  network(key: string): string;
  inspect(service: string, number?: number): Promise<Docker.ContainerInspectInfo>;
  resources(): Promise<ProjectResources>;
}

/**
 * A project of `fixtures/engine/<fixtureName>/` under the name `projectName`. Registers an
 * afterAll (call it at the top of a describe) that takes it down whatever happened, and then
 * force-removes anything still labeled with the project so that a failing down leaves nothing.
 * The project is also cleared once before it is first brought up, in case an earlier run died.
 */
export function fixtureProject(engine: EngineConnection | undefined, fixtureName: string, projectName: string): FixtureProject {
  const dir = fixture('engine', fixtureName);
  const base = { workingDir: dir, environment: {}, projectName };
  let cleared = false;
  const handle: FixtureProject = {
    name: projectName,
    dir,
    async up(options = {}) {
      if (!cleared) {
        cleared = true;
        await forceRemoveProject(engine!, projectName);
      }
      return up({ ...base, connection: engine!, ...options });
    },
    down(options = {}) {
      return down({ ...base, connection: engine!, ...options });
    },
    container: (service, number = 1) => `${projectName}-${service}-${number}`,
    network: (key) => `${projectName}_${key}`,
    inspect: (service, number = 1) => engine!.docker.getContainer(handle.container(service, number)).inspect(),
    resources: () => projectResources(engine!, projectName),
  };
  afterAll(async () => {
    if (!engine) return;
    try {
      await handle.down({ removeVolumes: true, removeOrphans: true, timeout: 1 });
    } catch (error) {
      console.warn(`down of ${projectName} failed in afterAll: ${(error as Error).message}`);
    } finally {
      await forceRemoveProject(engine, projectName);
    }
  });
  return handle;
}
