//! The engine as a JavaScript class (wasm-bindgen). The JS host fetches and inflates files; see [`crate::search`].

use wasm_bindgen::prelude::*;

use crate::search::{Index, SearchOptions, Step};

#[wasm_bindgen]
pub struct Engine {
    index: Index,
}

fn js_error(error: crate::Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    // `code` and `file` let the host map engine errors to its own typed errors.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().into());
    if let Some(file) = error.file() {
        let _ = js_sys::Reflect::set(&js, &"file".into(), &file.into());
    }
    js.into()
}

#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum StepJs {
    Need(Vec<String>),
    Page(crate::search::SearchPage),
}

#[wasm_bindgen]
impl Engine {
    /// Opens the index from the inflated bytes of `manifest.bin`.
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &[u8]) -> Result<Engine, JsValue> {
        Ok(Engine { index: Index::open(manifest).map_err(js_error)? })
    }

    /// Hands over a file the last search asked for (inflated bytes).
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsValue> {
        self.index.add_file(name, bytes).map_err(js_error)
    }

    /// Returns `{ need: [file names] }` or `{ page: { total, results } }`.
    pub fn search(&mut self, query: &str, options: JsValue) -> Result<JsValue, JsValue> {
        let options: SearchOptions = if options.is_undefined() || options.is_null() {
            SearchOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| js_error(crate::Error::BadOptions(e.to_string())))?
        };
        let step = match self.index.search(query, &options).map_err(js_error)? {
            Step::Need(files) => StepJs::Need(files),
            Step::Done(page) => StepJs::Page(page),
        };
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        serde::Serialize::serialize(&step, &serializer).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Number of posts in the index.
    #[wasm_bindgen(getter, js_name = docCount)]
    pub fn doc_count(&self) -> u32 {
        self.index.doc_count()
    }
}
