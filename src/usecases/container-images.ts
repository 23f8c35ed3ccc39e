import { containerImage, type ContainerImage } from '../engine/container-inspection.js';
import { ps, type PsOptions } from './ps.js';
import { connectOrReuse } from './session.js';

/** `images`: the image of each container of the project (stopped ones too), with its id and size. */
export async function images(options: Omit<PsOptions, 'all'> = {}): Promise<ContainerImage[]> {
  const connection = await connectOrReuse(options);
  const containers = await ps({ ...options, connection, all: true });
  return Promise.all(containers.map((container) => containerImage(connection, container)));
}
