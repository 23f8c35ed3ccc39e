#!/usr/bin/env node
// Thin entry point: everything lives in the bundled CLI (built by `npm run build`).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
