//! The engine as a JavaScript class (wasm-bindgen). The JS host fetches and inflates files; see [`crate::search`].

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;

use crate::search::{Completion, Index, SearchOptions, SearchPage, Step};

mod alloc;

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator::new();

#[wasm_bindgen]
pub struct Engine {
    index: Index,
}

/// NFKC, then lower case, by the host's `String.prototype.normalize` and `toLowerCase` (see [`crate::normalize`]).
pub(crate) fn nfkc_lowercase(text: &str) -> String {
    String::from(JsString::from(text).normalize("NFKC").to_lower_case())
}

fn js_error(error: crate::Error) -> JsValue {
    let js: JsValue = js_sys::Error::new(&error.to_string()).into();
    // `code` and `file` let the host map engine errors to its own typed errors; setting a property of a fresh
    // Error cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    if let Some(file) = error.file() {
        let _ = Reflect::set(&js, &"file".into(), &file.into());
    }
    js
}

/// Reads the options object by hand: serde's deserializer would bring float formatting and more into the module.
fn options_from_js(value: &JsValue) -> Result<SearchOptions, crate::Error> {
    let mut options = SearchOptions::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    if !value.is_object() {
        return Err(crate::Error::BadOptions("options must be an object".into()));
    }
    let field = |name: &str| Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let bad = |name: &str, what: &str| crate::Error::BadOptions(format!("{name}: expected {what}"));
    let count = |name: &str, default: usize| -> Result<usize, crate::Error> {
        let v = field(name);
        if v.is_undefined() || v.is_null() {
            return Ok(default);
        }
        match v.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n.min(u32::MAX as f64) as usize),
            _ => Err(bad(name, "a whole number ≥ 0")),
        }
    };
    let text = |name: &str| -> Result<Option<String>, crate::Error> {
        let v = field(name);
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.as_string().map(Some).ok_or_else(|| bad(name, "a string"))
    };
    let list = |name: &str| -> Result<Vec<String>, crate::Error> {
        let v = field(name);
        if v.is_undefined() || v.is_null() {
            return Ok(Vec::new());
        }
        if let Some(single) = v.as_string() {
            return Ok(vec![single]);
        }
        if !Array::is_array(&v) {
            return Err(bad(name, "an array of strings"));
        }
        Array::from(&v).iter().map(|item| item.as_string().ok_or_else(|| bad(name, "an array of strings"))).collect()
    };
    options.limit = count("limit", options.limit)?;
    options.offset = count("offset", options.offset)?;
    options.sort = match text("sort")?.as_deref() {
        None | Some("relevance") => crate::SortOrder::Relevance,
        Some("date") => crate::SortOrder::Date,
        Some(_) => return Err(bad("sort", "'relevance' or 'date'")),
    };
    options.categories = list("categories")?;
    options.tags = list("tags")?;
    options.from = text("from")?;
    options.to = text("to")?;
    options.facets = field("facets").is_truthy();
    options.show_duplicates = field("showDuplicates").is_truthy();
    options.exact = field("exact").is_truthy();
    Ok(options)
}

/// The engine's answers as the host sees them (see www/jiansuo.d.ts): `{ need }` while files are missing.
#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum SearchStep {
    Need(Vec<String>),
    Page(SearchPage),
}

#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum CompletionStep {
    Need(Vec<String>),
    Completions(Vec<Completion>),
}

/// Plain JS objects and arrays (no Maps), numbers as numbers, absent optional fields left out.
fn to_js(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| js_sys::Error::new(&error.to_string()).into())
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

    /// Returns `{ need: [file names] }` or `{ page }`, a `SearchPage` (`www/jiansuo.d.ts`).
    pub fn search(&mut self, query: &str, options: JsValue) -> Result<JsValue, JsValue> {
        let options = options_from_js(&options).map_err(js_error)?;
        to_js(&match self.index.search(query, &options).map_err(js_error)? {
            Step::Need(files) => SearchStep::Need(files),
            Step::Done(page) => SearchStep::Page(page),
        })
    }

    /// Returns `{ need: [file names] }` or `{ completions: [{ text, query, count }] }`.
    pub fn complete(&mut self, input: &str, limit: u32) -> Result<JsValue, JsValue> {
        to_js(&match self.index.complete(input, limit as usize).map_err(js_error)? {
            Step::Need(files) => CompletionStep::Need(files),
            Step::Done(completions) => CompletionStep::Completions(completions),
        })
    }
}
