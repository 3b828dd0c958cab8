/*
 * Starts the assessor's engine while the page is still loading.
 *
 * An async module, linked from the <head> of pages whose front matter says `assessor: true`
 * (overrides/main.html). It runs as soon as it arrives, long before the theme's bundle and
 * assessor.js (run after parsing), so the runtime starts downloading and compiling ~0.7 s sooner
 * on a first visit. assessor.js imports the same engine module and finds it running.
 */
import { startEngine } from "./assessor-engine.mjs";

startEngine();
