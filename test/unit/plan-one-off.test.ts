import { describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { LABEL, planOneOff } from '../../src/planner/index.js';
import { tempProject } from '../helpers/fixtures.js';

const COMPOSE = `name: shop
services:
  db:
    image: busybox
    command: ["sleep", "600"]
    ports: ["127.0.0.1:5432:5432"]
    restart: always
    networks:
      back: { aliases: [database] }
      front: {}
networks:
  back: {}
  front: {}
`;

describe('a one-off container of a service (run --rm)', () => {
  const { project } = load({ workingDir: tempProject({ 'compose.yaml': COMPOSE }), environment: {} });
  const planned = planOneOff(project, 'db', { command: ['migrate'], env: { STAGE: 'test' }, workdir: '/app', apiVersion: '1.41', suffix: '0123456789ab' });
  const create = planned.operations[0]!;

  it('is the service with the command given, labelled one-off, publishing nothing and restarting never', () => {
    expect(planned.container).toBe('shop-db-run-0123456789ab');
    if (create.kind !== 'CreateContainer') throw new Error(`first operation is ${create.kind}`);
    expect(create.body.Cmd).toEqual(['migrate']);
    expect(create.body.Env).toContain('STAGE=test');
    expect(create.body.WorkingDir).toBe('/app');
    expect(create.body.Labels[LABEL.oneoff]).toBe('True');
    expect(create.body.Labels[LABEL.service]).toBe('db');
    expect(create.body.HostConfig.PortBindings).toEqual({});
    expect(create.body.HostConfig.RestartPolicy).toBeUndefined();
  });

  it('joins every network of the service, answering to none of its names', () => {
    expect(planned.operations.map((operation) => operation.id)).toEqual(['create-container:shop-db-run-0123456789ab', 'connect-network:shop-db-run-0123456789ab:shop_front']);
    if (create.kind !== 'CreateContainer') throw new Error(`first operation is ${create.kind}`);
    expect(Object.values(create.body.NetworkingConfig.EndpointsConfig).map((endpoint) => endpoint.Aliases)).toEqual([undefined]);
  });

  it('is removed with its anonymous volumes', () => {
    expect(planned.removal).toMatchObject([{ kind: 'RemoveContainer', container: 'shop-db-run-0123456789ab', removeVolumes: true }]);
  });
});
