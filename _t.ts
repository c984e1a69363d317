const spec = Deno.args[0];
const t=performance.now();
for (const s of spec.split(",")) { const a=performance.now(); await import(/^(lib|routes|kv)\//.test(s) ? "./"+s : s); console.log(s, (performance.now()-a).toFixed(1)); }
console.log("total",(performance.now()-t).toFixed(1));
