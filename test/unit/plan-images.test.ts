import { describe, expect, it } from 'vitest';
import { build, pull } from '../../src/usecases/images.js';
import { load } from '../../src/loader/index.js';
import { planDown, planImageWork, type ObservedState, type PlanOptions } from '../../src/planner/index.js';
import { tempProject } from '../helpers/fixtures.js';
import { checkedPlan, observedAfter } from '../helpers/plan.js';

const COMPOSE = `
name: img
services:
  web:
    image: registry.example:5000/team/web:1.0
  worker:
    image: registry.example:5000/team/web:1.0
  fresh:
    image: busybox
    pull_policy: daily
  pinned:
    image: local/only
    pull_policy: never
  app:
    build:
      context: ./app
      args:
        GREETING: hello
        FROM_ENV:
        UNSET:
      target: final
      labels: [com.example.team=core]
      extra_hosts: ["db.local=10.0.0.5"]
      tags: ["img-app:extra"]
      network: host
`;

const project = () => load({ workingDir: tempProject({ 'compose.yaml': COMPOSE, 'app/Dockerfile': 'FROM scratch\n' }), environment: { FROM_ENV: 'from-env' } }).project;

const NOW = '2026-11-23T12:00:00.000Z';

/** An engine holding the given images (by name → last tag time). */
function engineWith(images: Record<string, string | undefined>, base: Partial<ObservedState> = {}): ObservedState {
  return {
    apiVersion: '1.41',
    containers: [],
    networks: [],
    observedAt: NOW,
    ...base,
    images: Object.entries(images).map(([tag, lastTagTime], index) => ({ id: `sha256:${index}`, tags: [tag], ...(lastTagTime ? { lastTagTime } : {}) })),
  };
}

function actions(options: PlanOptions = {}, state: ObservedState = engineWith({})): Record<string, string> {
  return Object.fromEntries(checkedPlan(project(), state, options).images.map((image) => [image.name, `${image.action}: ${image.cause}`]));
}

describe('images in the plan', () => {
  it('pulls what is missing, once per image, and builds what has a build section', () => {
    const result = checkedPlan(project(), engineWith({ 'local/only:latest': undefined }));
    expect(result.images.map((image) => [image.name, image.services, image.action])).toEqual([
      ['registry.example:5000/team/web:1.0', ['web', 'worker'], 'pull'],
      ['busybox', ['fresh'], 'pull'],
      ['local/only', ['pinned'], 'keep'],
      ['img-app', ['app'], 'build'],
    ]);
    const pull = result.operations.find((op) => op.kind === 'PullImage' && op.image === 'registry.example:5000/team/web:1.0')!;
    expect(pull.resource).toBe('image:registry.example:5000/team/web:1.0');
    // Both containers of the image wait for its one pull.
    const creates = result.operations.filter((op) => op.kind === 'CreateContainer' && ['img-web-1', 'img-worker-1'].includes(op.container!));
    expect(creates.every((op) => op.dependsOn.includes(pull.id))).toBe(true);
  });

  it('keeps what is there, matching names as the engine lists them', () => {
    const present = engineWith({ 'registry.example:5000/team/web:1.0': undefined, 'busybox:latest': '2026-11-23T08:00:00Z', 'local/only:latest': undefined, 'img-app:latest': undefined });
    expect(actions({}, present)).toEqual({
      'registry.example:5000/team/web:1.0': 'keep: present',
      busybox: 'keep: present',
      'local/only': 'keep: present',
      'img-app': 'keep: present',
    });
  });

  it('pulls a daily image again once a day has passed since it was tagged', () => {
    const stale = engineWith({ 'busybox:latest': '2026-11-22T11:00:00Z', 'local/only:latest': undefined });
    expect(actions({}, stale).busybox).toBe('pull: pull_policy: daily: last pulled 2026-11-22T11:00:00Z');
  });

  it('follows --pull over every policy, and a missing image under never is a conflict', () => {
    const present = engineWith({ 'registry.example:5000/team/web:1.0': undefined, 'busybox:latest': undefined, 'local/only:latest': undefined, 'img-app:latest': undefined });
    expect(actions({ pull: 'always' }, present)).toMatchObject({ busybox: 'pull: --pull always', 'local/only': 'pull: --pull always' });
    const missing = checkedPlan(project(), engineWith({}), { pull: 'never' });
    expect(missing.operations).toEqual([]);
    expect(missing.conflicts.map((conflict) => conflict.message)).toContain('image busybox of service "fresh" is not on the engine, and --pull never forbids pulling it');
    const pinned = checkedPlan(project(), engineWith({}));
    expect(pinned.conflicts).toEqual([
      { kind: 'image-missing', resource: 'image:local/only', message: 'image local/only of service "pinned" is not on the engine, and pull_policy: never forbids pulling it' },
    ]);
  });

  it('builds with --build even when the image is there, and never with --no-build', () => {
    const present = engineWith({ 'img-app:latest': undefined, 'local/only:latest': undefined });
    expect(actions({ build: true }, present)['img-app']).toBe('build: --build');
    const noBuild = checkedPlan(project(), engineWith({ 'local/only:latest': undefined }), { noBuild: true });
    expect(noBuild.conflicts.map((conflict) => conflict.message)).toEqual(['image img-app of service "app" is not on the engine, and --no-build forbids building it, and it has no image: to pull']);
  });

  it('says what is wrong with a service that has neither image nor build, whatever the options', () => {
    const bare = project();
    const { build: _build, ...withoutBuild } = bare.services.app!;
    bare.services.app = withoutBuild;
    const messages = checkedPlan(bare, engineWith({ 'local/only:latest': undefined })).conflicts.map((conflict) => conflict.message);
    expect(messages).toEqual(['image img-app of service "app" is not on the engine, and the service has neither image: to pull nor build: to build it']);
  });

  it('puts the build section into POST /build terms', () => {
    const app = checkedPlan(project(), engineWith({ 'local/only:latest': undefined })).images.find((image) => image.name === 'img-app')!;
    expect(app.build).toMatchObject({
      service: 'app',
      dockerfile: 'Dockerfile',
      query: {
        t: ['img-app', 'img-app:extra'],
        buildargs: { GREETING: 'hello', FROM_ENV: 'from-env' },
        labels: { 'com.example.team': 'core', 'com.docker.compose.project': 'img', 'com.docker.compose.service': 'app' },
        target: 'final',
        networkmode: 'host',
        extrahosts: ['db.local:10.0.0.5'],
        rm: true,
        forcerm: true,
      },
    });
    expect(app.build!.context).toMatch(/\/proj\/app$/);
  });

  it('recreates a container whose image changed under its name, and says which will be recreated after a pull', () => {
    const first = checkedPlan(project(), engineWith({ 'local/only:latest': undefined }));
    const observed = observedAfter(first, { imageId: 'sha256:old' });
    const result = checkedPlan(project(), { ...observed, observedAt: NOW, images: engineWith({ 'registry.example:5000/team/web:1.0': undefined, 'busybox:latest': '2026-11-23T11:00:00Z', 'local/only:latest': undefined, 'img-app:latest': undefined }).images });
    expect(result.containers.map((c) => [c.service, c.action, c.cause])).toContainEqual(['web', 'recreate', 'image: sha256:old → sha256:0']);
    const pulling = checkedPlan(project(), { ...observed, observedAt: NOW, images: engineWith({ 'local/only:latest': undefined, 'img-app:latest': undefined }).images });
    expect(pulling.containers.find((c) => c.service === 'web')).toMatchObject({ action: 'keep', cause: 'unchanged; recreated if the pulled image differs' });
  });

  it('plans pull and build commands for the services that have an image or a build section', () => {
    const pulls = planImageWork(project(), engineWith({ 'busybox:latest': undefined }), 'pull');
    expect(pulls.operations.map((op) => `${op.kind} ${'image' in op ? op.image : ''} (${op.cause})`)).toEqual([
      'PullImage registry.example:5000/team/web:1.0 (--pull always)',
      'PullImage busybox (--pull always)',
      'PullImage local/only (--pull always)',
    ]);
    expect(pulls.skipped).toEqual(['app']);
    const builds = planImageWork(project(), engineWith({}), 'build', { noCache: true });
    expect(builds.operations.map((op) => `${op.kind} ${'image' in op ? op.image : ''}`)).toEqual(['BuildImage img-app']);
    expect(builds.images[0]!.build!.query.nocache).toBe(true);
  });

  it('down --rmi removes the built images (local) or every service image (all), after the containers', () => {
    const rmi = (which: 'local' | 'all') => planDown('img', engineWith({}), project(), { removeImages: which }).operations.filter((op) => op.kind === 'RemoveImage').map((op) => op.image);
    expect(rmi('local')).toEqual(['img-app']);
    expect(rmi('all')).toEqual(['registry.example:5000/team/web:1.0', 'busybox', 'local/only', 'img-app']);
    expect(planDown('img', engineWith({}), undefined, { removeImages: 'all' }).warnings).toEqual(['--rmi needs the compose file to know the images; none were removed']);
  });

  it('pull and build name a service that does not exist before they reach for an engine', async () => {
    await expect(pull({ project: project(), services: ['wbe'] })).rejects.toThrow('no such service: wbe');
    await expect(build({ project: project(), services: ['ap'] })).rejects.toThrow('no such service: ap');
  });
});
