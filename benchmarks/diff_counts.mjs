// pixelmatch 8.0.0 and 7.2.0 counts for many pairs in one process: node diff_counts.mjs PAIRS.json
// PAIRS.json is [[before, after], ...]; prints [{pm8, pm7}, ...] in the same order.
import fs from 'fs';
import {PNG} from 'pngjs';
import pixelmatch from 'pixelmatch';
import pm7 from 'pm7';

const pairs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = pairs.map(([a, b]) => {
    const img1 = PNG.sync.read(fs.readFileSync(a));
    const img2 = PNG.sync.read(fs.readFileSync(b));
    const {width, height} = img1;
    return {
        pm8: pixelmatch(img1.data, img2.data, null, width, height, {threshold: 0.1}),
        pm7: pm7(img1.data, img2.data, null, width, height, {threshold: 0.1}),
    };
});
console.log(JSON.stringify(out));
