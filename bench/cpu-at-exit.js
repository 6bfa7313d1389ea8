// Preloaded (`node --require bench/cpu-at-exit.js ...`) by the start-up bench (bench/scaling.js):
// at exit, writes the process's CPU time (user + system, all threads) to standard error.
'use strict';
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`cpu-at-exit ${((u.user + u.system) / 1000).toFixed(1)}\n`);
});
