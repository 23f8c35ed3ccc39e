// @ts-expect-error plain ESM script without types
import { generateValidators } from '../../scripts/gen-validators.mjs';

export default function setup(): void {
  generateValidators();
}
