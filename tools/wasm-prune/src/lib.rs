//! Removes from a module bound by wasm-bindgen the closure invoke shims nothing can call, and its custom sections.
//! Why they are there: see the binary's documentation (`src/main.rs`).

use std::path::Path;

use walrus::{ElementItems, ExportItem, FunctionBuilder, FunctionId, ImportKind, ModuleConfig};

/// How wasm-bindgen names the invoke shims it instantiates for closures (demangled, without the hash).
const INVOKE_SHIM: &str = "wasm_bindgen::convert::closures::_::invoke";

#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: not a valid wasm module: {detail}")]
    Invalid { file: String, detail: String },
    #[error("{file}: the module has no function names (run wasm-bindgen without --remove-name-section)")]
    NoNames { file: String },
    #[error("{file}: the function table is {how}, so JavaScript may call any slot of it: nothing pruned")]
    TableReachable { file: String, how: &'static str },
}

/// What [`prune`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub dead_slots: usize,
    pub bytes_in: usize,
    pub bytes_out: usize,
}

/// Reads `input`, prunes it (see [`prune`]) and writes `output`.
pub fn prune_file(input: &Path, output: &Path) -> Result<Report, PruneError> {
    let file = input.display().to_string();
    let wasm = std::fs::read(input).map_err(|source| PruneError::Io { file: file.clone(), source })?;
    let (pruned, report) = prune(&wasm, &file)?;
    std::fs::write(output, pruned).map_err(|source| PruneError::Io { file: output.display().to_string(), source })?;
    Ok(report)
}

/// Points every function-table slot that holds a closure invoke shim at one `unreachable` function, removes
/// what is then unreferenced, and leaves out every custom section. Refuses a module whose function table is
/// exported or imported (its slots may be called from JavaScript) and one without function names (the shims
/// could not be told apart). `file` names the module in errors.
pub fn prune(wasm: &[u8], file: &str) -> Result<(Vec<u8>, Report), PruneError> {
    let mut config = ModuleConfig::new();
    config.generate_name_section(false).generate_producers_section(false);
    let mut module = config.parse(wasm).map_err(|e| invalid(file, e))?;

    if module.funcs.iter().all(|f| f.name.is_none()) {
        return Err(PruneError::NoNames { file: file.to_string() });
    }
    let table = module.tables.main_function_table().map_err(|e| invalid(file, e))?;
    let reachable = |how| Err(PruneError::TableReachable { file: file.to_string(), how });
    if let Some(table) = table {
        if module.exports.iter().any(|e| matches!(e.item, ExportItem::Table(t) if t == table)) {
            return reachable("exported");
        }
        if module.imports.iter().any(|i| matches!(i.kind, ImportKind::Table(t) if t == table)) {
            return reachable("imported");
        }
    }

    let dead: Vec<FunctionId> = module
        .funcs
        .iter()
        .filter(|f| f.name.as_deref().is_some_and(|name| name.starts_with(INVOKE_SHIM)))
        .map(|f| f.id())
        .collect();
    let mut dead_slots = 0;
    if !dead.is_empty() {
        let mut builder = FunctionBuilder::new(&mut module.types, &[], &[]);
        builder.func_body().unreachable();
        let trap = builder.finish(vec![], &mut module.funcs);
        for element in module.elements.iter_mut() {
            if let ElementItems::Functions(slots) = &mut element.items {
                for slot in slots.iter_mut().filter(|slot| dead.contains(slot)) {
                    *slot = trap;
                    dead_slots += 1;
                }
            }
        }
    }
    walrus::passes::gc::run(&mut module);
    let customs: Vec<_> = module.customs.iter().map(|(id, _)| id).collect();
    for id in customs {
        module.customs.delete(id);
    }
    let pruned = module.emit_wasm();
    let report = Report { dead_slots, bytes_in: wasm.len(), bytes_out: pruned.len() };
    Ok((pruned, report))
}

fn invalid(file: &str, error: impl std::fmt::Display) -> PruneError {
    PruneError::Invalid { file: file.to_string(), detail: format!("{error:#}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use walrus::{ConstExpr, ElementKind, Module, RefType, ValType};

    /// A module shaped like wasm-bindgen's output: a function table holding a closure invoke shim (which calls a
    /// helper nothing else calls) and a live method, an export that calls through the table, a custom section.
    fn module(export_table: bool) -> Vec<u8> {
        let mut module = Module::default();
        let function = |module: &mut Module, name: &str, call: Option<FunctionId>| {
            let mut builder = FunctionBuilder::new(&mut module.types, &[], &[ValType::I32]);
            match call {
                Some(callee) => builder.func_body().call(callee).drop().i32_const(1),
                None => builder.func_body().i32_const(7),
            };
            let id = builder.finish(vec![], &mut module.funcs);
            module.funcs.get_mut(id).name = Some(name.to_string());
            id
        };
        let helper = function(&mut module, "helper_of_the_shim", None);
        let shim = function(&mut module, "wasm_bindgen::convert::closures::_::invoke::h0123", Some(helper));
        let method = function(&mut module, "<T as Trait>::method", None);
        let table = module.tables.add_local(false, 2, Some(2), RefType::FUNCREF);
        module.elements.add(
            ElementKind::Active { table, offset: ConstExpr::Value(walrus::ir::Value::I32(0)) },
            ElementItems::Functions(vec![shim, method]),
        );
        let ty = module.types.add(&[], &[ValType::I32]);
        let mut builder = FunctionBuilder::new(&mut module.types, &[ValType::I32], &[ValType::I32]);
        let slot = module.locals.add(ValType::I32);
        builder.func_body().local_get(slot).call_indirect(ty, table);
        let run = builder.finish(vec![slot], &mut module.funcs);
        module.funcs.get_mut(run).name = Some("run".to_string());
        module.exports.add("run", run);
        if export_table {
            module.exports.add("table", table);
        }
        module.customs.add(walrus::RawCustomSection { name: "target_features".into(), data: vec![0] });
        module.emit_wasm()
    }

    fn names_of(wasm: &[u8]) -> (usize, Module) {
        let module = Module::from_buffer(wasm).unwrap();
        (module.funcs.iter().count(), module)
    }

    #[test]
    fn the_shim_and_what_only_it_calls_go_the_live_slot_stays() {
        let input = module(false);
        let (before, _) = names_of(&input);
        let (output, report) = prune(&input, "m.wasm").unwrap();
        assert_eq!(report.dead_slots, 1);
        assert!(report.bytes_out < report.bytes_in);
        let (after, pruned) = names_of(&output);
        // shim and helper out, the trap in: 4 functions → 3.
        assert_eq!((before, after), (4, 3));
        assert_eq!(pruned.customs.iter().count(), 0, "custom sections are dropped");
        assert!(pruned.funcs.iter().all(|f| f.name.is_none()), "no name section");
        let element = pruned.elements.iter().next().unwrap();
        let ElementItems::Functions(slots) = &element.items else { panic!("function slots expected") };
        assert_eq!(slots.len(), 2, "the table keeps its layout");
        assert_ne!(slots[0], slots[1]);
    }

    #[test]
    fn refuses_a_table_javascript_can_reach() {
        let error = prune(&module(true), "m.wasm").unwrap_err();
        assert!(matches!(error, PruneError::TableReachable { how: "exported", .. }), "{error}");
    }

    #[test]
    fn refuses_a_module_without_names() {
        let mut config = ModuleConfig::new();
        config.generate_name_section(false);
        let mut module = config.parse(&module(false)).unwrap();
        let nameless = module.emit_wasm();
        let error = prune(&nameless, "m.wasm").unwrap_err();
        assert!(matches!(error, PruneError::NoNames { .. }), "{error}");
        assert!(error.to_string().contains("m.wasm"));
    }

    #[test]
    fn refuses_what_is_not_wasm() {
        assert!(matches!(prune(b"\0asm\x01", "x.wasm"), Err(PruneError::Invalid { .. })));
    }
}
