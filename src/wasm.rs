//! The engine as a JavaScript class (wasm-bindgen). The JS host fetches and inflates files; see [`crate::search`].

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::search::{Completion, Index, RewriteKind, SearchOptions, SearchPage, SearchResult, Step};

mod alloc;

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator::new();

#[wasm_bindgen]
pub struct Engine {
    index: Index,
}

// The few JS built-ins the engine uses, declared here rather than taken from js-sys: js-sys's bindings bring
// closure and futures glue into the module's function table whether they are used or not (7 KB of the module).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Error)]
    type JsError;
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;

    #[wasm_bindgen(js_name = Array)]
    type JsArray;
    #[wasm_bindgen(constructor, js_class = "Array")]
    fn new() -> JsArray;
    #[wasm_bindgen(method)]
    fn push(this: &JsArray, value: &JsValue);
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> bool;

    #[wasm_bindgen(js_name = Object)]
    type JsObject;
    #[wasm_bindgen(constructor, js_class = "Object")]
    fn new() -> JsObject;

    /// Throws only when `target` is not an object, or on a getter that throws.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
    /// Throws only when `target` is not an object.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set(target: &JsValue, key: &JsValue, value: &JsValue) -> bool;

    type JsString;
    #[wasm_bindgen(method)]
    fn normalize(this: &JsString, form: &str) -> JsString;
    #[wasm_bindgen(method, js_name = toLowerCase)]
    fn to_lower_case(this: &JsString) -> JsString;
}

/// NFKC, then lower case, by the host's `String.prototype.normalize` and `toLowerCase` (see [`crate::normalize`]).
pub(crate) fn nfkc_lowercase(text: &str) -> String {
    let folded = JsValue::from_str(text).unchecked_into::<JsString>().normalize("NFKC").to_lower_case();
    // A JS string always converts (lone surrogates become U+FFFD).
    JsValue::from(folded).as_string().unwrap_or_default()
}

fn js_error(error: crate::Error) -> JsValue {
    let js: JsValue = JsError::new(&error.to_string()).into();
    // `code` and `file` let the host map engine errors to its own typed errors.
    set(&js, &"code".into(), &error.code().into());
    if let Some(file) = error.file() {
        set(&js, &"file".into(), &file.into());
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
    let field = |name: &str| get(value, &name.into()).unwrap_or(JsValue::UNDEFINED);
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
        if !is_array(&v) {
            return Err(bad(name, "an array of strings"));
        }
        let length = get(&v, &"length".into()).ok().and_then(|n| n.as_f64()).unwrap_or(0.0) as u32;
        (0..length)
            .map(|i| {
                get(&v, &i.into())
                    .ok()
                    .and_then(|item| item.as_string())
                    .ok_or_else(|| bad(name, "an array of strings"))
            })
            .collect()
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

/// The answers as plain JS objects, built by hand: serde and serde-wasm-bindgen were 5 % of the module. The shape is
/// the contract with host.js and jiansuo.d.ts: optional fields are absent rather than null or empty.
struct Out(JsValue);

impl Out {
    fn new() -> Out {
        Out(JsObject::new().into())
    }

    fn set(self, key: &str, value: impl Into<JsValue>) -> Out {
        set(&self.0, &key.into(), &value.into());
        self
    }

    fn done(self) -> JsValue {
        self.0
    }
}

fn array<T>(items: &[T], item: impl Fn(&T) -> JsValue) -> JsValue {
    let array = JsArray::new();
    for value in items {
        array.push(&item(value));
    }
    array.into()
}

fn strings(items: &[String]) -> JsValue {
    array(items, |s| JsValue::from_str(s))
}

fn kind(kind: RewriteKind) -> &'static str {
    match kind {
        RewriteKind::Segmented => "segmented",
        RewriteKind::Pinyin => "pinyin",
        RewriteKind::Typo => "typo",
    }
}

fn facet_counts(counts: &[crate::FacetCount]) -> JsValue {
    array(counts, |c| Out::new().set("value", &c.value).set("count", c.count as f64).done())
}

fn result(r: &SearchResult) -> JsValue {
    let out = Out::new()
        .set("url", &r.url)
        .set("title", &r.title)
        .set("date", &r.date)
        .set("categories", strings(&r.categories))
        .set("tags", strings(&r.tags))
        .set("score", f64::from(r.score))
        .set("excerpt", &r.excerpt);
    if r.duplicates > 0 { out.set("duplicates", r.duplicates) } else { out }.done()
}

fn page(page: &SearchPage) -> JsValue {
    let mut out = Out::new().set("total", page.total as f64).set("results", array(&page.results, result));
    if let Some(rewrite) = &page.rewrite {
        out = out.set("rewrite", Out::new().set("query", &rewrite.query).set("kind", kind(rewrite.kind)).done());
    }
    if !page.alternatives.is_empty() {
        out = out.set(
            "alternatives",
            array(&page.alternatives, |a| {
                Out::new().set("query", &a.query).set("kind", kind(a.kind)).set("count", a.count).done()
            }),
        );
    }
    if let Some(facets) = &page.facets {
        out = out.set(
            "facets",
            Out::new()
                .set("categories", facet_counts(&facets.categories))
                .set("tags", facet_counts(&facets.tags))
                .done(),
        );
    }
    out.done()
}

fn completion(c: &Completion) -> JsValue {
    Out::new().set("text", &c.text).set("query", &c.query).set("count", c.count).done()
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
        let options = options_from_js(&options).map_err(js_error)?;
        Ok(match self.index.search(query, &options).map_err(js_error)? {
            Step::Need(files) => Out::new().set("need", strings(&files)),
            Step::Done(done) => Out::new().set("page", page(&done)),
        }
        .done())
    }

    /// Returns `{ need: [file names] }` or `{ completions: [{ text, query, count }] }`.
    pub fn complete(&mut self, input: &str, limit: u32) -> Result<JsValue, JsValue> {
        Ok(match self.index.complete(input, limit as usize).map_err(js_error)? {
            Step::Need(files) => Out::new().set("need", strings(&files)),
            Step::Done(completions) => Out::new().set("completions", array(&completions, completion)),
        }
        .done())
    }
}
