use std::collections::BTreeMap;
use vercel_codegen::ir::{self, Filter};
use vercel_codegen::load::load_path;
#[test]
fn probe() {
    let dir = std::path::Path::new("/work/shared/specs/vercel");
    for (a, b) in [("2025-10-24.json", "2025-10-27.json"), ("2025-10-06.json", "2025-10-27.json"), ("2025-10-20.json", "2025-10-24.json")] {
        let sa = load_path(&dir.join(a)).unwrap();
        let sb = load_path(&dir.join(b)).unwrap();
        let old = ir::build(&sa, &Filter::default()).api;
        let new = ir::build(&sb, &Filter::default()).api;
        let mut byp: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in new.types.values() { byp.entry(&t.pointer).or_default().push(&t.name); }
        let multi = byp.values().filter(|v| v.len() > 1).count();
        let kept = old.types.keys().filter(|n| new.types.contains_key(*n)).count();
        let mut checked = 0; let mut renamed = vec![];
        for t in old.types.values() {
            let Some(x) = sa.raw.pointer(&t.pointer) else { continue };
            if sb.raw.pointer(&t.pointer) != Some(x) { continue }
            let Some(ns) = byp.get(t.pointer.as_str()) else { continue };
            checked += 1;
            if !ns.contains(&t.name.as_str()) { renamed.push(format!("{} -> {:?} ({})", t.name, ns, t.pointer)); }
        }
        let nores = old.types.values().filter(|t| sa.raw.pointer(&t.pointer).is_none()).count();
        println!("{a}->{b}: old {} new {} kept {kept} multi-ptr {multi} checked {checked} renamed {} unresolvable-ptr {nores}", old.types.len(), new.types.len(), renamed.len());
        for r in renamed.iter().take(10) { println!("  {r}"); }
        for (p, v) in byp.iter().filter(|(_, v)| v.len() > 1).take(5) { println!("  multi {p}: {v:?}"); }
        for t in old.types.values().filter(|t| sa.raw.pointer(&t.pointer).is_none()) { println!("  nores {} {}", t.name, t.pointer); }
    }
}
