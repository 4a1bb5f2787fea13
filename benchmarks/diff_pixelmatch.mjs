// Times pixelmatch 8.0.0's match() only, on pngjs-decoded data, warm: node diff_pixelmatch.mjs A B REPS
import fs from 'fs';
import {PNG} from 'pngjs';
import pixelmatch from 'pixelmatch';

const [a, b, reps = '7'] = process.argv.slice(2);
const img1 = PNG.sync.read(fs.readFileSync(a));
const img2 = PNG.sync.read(fs.readFileSync(b));
const {width, height} = img1;
let count = pixelmatch(img1.data, img2.data, null, width, height, {threshold: 0.1});
pixelmatch(img1.data, img2.data, null, width, height, {threshold: 0.1});
const times = [];
for (let i = 0; i < Number(reps); i++) {
    const t = process.hrtime.bigint();
    count = pixelmatch(img1.data, img2.data, null, width, height, {threshold: 0.1});
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((x, y) => x - y);
console.log(JSON.stringify({ms: times[times.length >> 1], count}));
