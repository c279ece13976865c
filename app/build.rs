//! Turns `locales/km.json` and `locales/en.json` into one typed `Texts` struct, so a missing or
//! misspelt key is a compile error instead of a blank on a citizen's screen.

use std::{collections::BTreeMap, env, fs, path::Path};

fn load(path: &str) -> BTreeMap<String, String> {
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let km = load("locales/km.json");
    let en = load("locales/en.json");
    let missing_en: Vec<_> = km.keys().filter(|k| !en.contains_key(*k)).collect();
    let missing_km: Vec<_> = en.keys().filter(|k| !km.contains_key(*k)).collect();
    assert!(
        missing_en.is_empty(),
        "keys missing from en.json: {missing_en:?}"
    );
    assert!(
        missing_km.is_empty(),
        "keys missing from km.json: {missing_km:?}"
    );

    let mut out = String::from("/// Every user-visible string, one field per key of the locale files.\n#[derive(Debug)]\npub struct Texts {\n");
    for key in km.keys() {
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "locale key {key:?} must be snake_case"
        );
        out.push_str(&format!("    pub {key}: &'static str,\n"));
    }
    out.push_str("}\n");
    for (name, table) in [("KM", &km), ("EN", &en)] {
        out.push_str(&format!("pub static {name}: Texts = Texts {{\n"));
        for (key, value) in table {
            out.push_str(&format!("    {key}: {value:?},\n"));
        }
        out.push_str("};\n");
    }
    out.push_str("impl Texts {\n    /// Looks a text up by key, for keys built at run time such as `stage_<id>`.\n    pub fn get(&self, key: &str) -> Option<&'static str> {\n        match key {\n");
    for key in km.keys() {
        out.push_str(&format!("            {key:?} => Some(self.{key}),\n"));
    }
    out.push_str("            _ => None,\n        }\n    }\n}\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("texts.rs");
    fs::write(dest, out).unwrap();
}
