// Times pixelmatch 8.0.0's match() only, on pngjs-decoded data, warm: node diff_pixelmatch.mjs A B REPS
// Prints the median wall time (ms) and the median CPU time (user+sys of this process, ms).
import fs from 'fs';
import {PNG} from 'pngjs';
import pixelmatch from 'pixelmatch';

const [a, b, reps = '7'] = process.argv.slice(2);
const img1 = PNG.sync.read(fs.readFileSync(a));
const img2 = PNG.sync.read(fs.readFileSync(b));
const {width, height} = img1;
const match = () => pixelmatch(img1.data, img2.data, null, width, height, {threshold: 0.1});
let count = match();
match();
const times = [];
const cpus = [];
for (let i = 0; i < Number(reps); i++) {
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    count = match();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const used = process.cpuUsage(c);
    cpus.push((used.user + used.system) / 1000);
}
const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
console.log(JSON.stringify({ms: median(times), cpu_ms: median(cpus), count}));
