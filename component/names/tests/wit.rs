//! The names here and in `wit/types.wit` are the same: every WIT enum has a set here with the
//! same values in the same order, the options record's fields are `OptionName`, the error
//! variant's cases are `ErrorKind`; and no set here names a WIT type that does not exist.

// A test's helpers may fail loudly.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use imgpipe_names::{
    ChromaSubsampling, ColorProfile, ErrorKind, Filter, Fit, Gravity, HttpProblem, InputFormat,
    LimitKind, Name, OptionName, OutputFormat, Placeholder, Problem,
};

/// The WIT's enums, records and variants: type name -> member names, in order.
fn wit_types() -> BTreeMap<(String, String), Vec<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wit/types.wit");
    let text = std::fs::read_to_string(path).unwrap();
    let mut types = BTreeMap::new();
    let mut open: Option<((String, String), Vec<String>)> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("//") || line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match (&mut open, words.as_slice()) {
            (None, [keyword @ ("enum" | "record" | "variant"), name, "{"]) => {
                open = Some(((keyword.to_string(), name.to_string()), Vec::new()));
            }
            (Some(_), ["}"]) => {
                let (key, members) = open.take().unwrap();
                types.insert(key, members);
            }
            (Some((_, members)), _) => {
                // "case,", "field: type,", "case(payload),"
                let name = line
                    .split([',', ':', '('])
                    .next()
                    .unwrap()
                    .trim()
                    .to_string();
                members.push(name);
            }
            _ => {}
        }
    }
    assert!(open.is_none(), "unclosed type in {path}");
    types
}

fn names<T: Name>() -> Vec<String> {
    T::ALL.iter().map(|v| v.as_str().to_string()).collect()
}

fn key(keyword: &str, name: &str) -> (String, String) {
    (keyword.to_string(), name.to_string())
}

#[test]
fn every_wit_enum_is_a_name_set_with_the_same_values() {
    let mut sets: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    sets.insert(OutputFormat::KIND, names::<OutputFormat>());
    sets.insert(InputFormat::KIND, names::<InputFormat>());
    sets.insert(Fit::KIND, names::<Fit>());
    sets.insert(Filter::KIND, names::<Filter>());
    sets.insert(LimitKind::KIND, names::<LimitKind>());
    sets.insert(ErrorKind::KIND, names::<ErrorKind>());
    sets.insert(ColorProfile::KIND, names::<ColorProfile>());
    sets.insert(ChromaSubsampling::KIND, names::<ChromaSubsampling>());
    sets.insert(Gravity::KIND, names::<Gravity>());
    sets.insert(Placeholder::KIND, names::<Placeholder>());

    let wit = wit_types();
    let wit_enums: BTreeMap<&str, &Vec<String>> = wit
        .iter()
        .filter(|((keyword, _), _)| keyword == "enum")
        .map(|((_, name), members)| (name.as_str(), members))
        .collect();
    let wit_names: Vec<&str> = wit_enums.keys().copied().collect();
    let our_names: Vec<&str> = sets.keys().copied().collect();
    assert_eq!(
        wit_names, our_names,
        "the WIT's enums and imgpipe-names' sets differ"
    );
    for (name, values) in &sets {
        assert_eq!(&wit_enums[name], &values, "enum {name}");
    }
}

#[test]
fn option_names_are_the_options_record_fields() {
    let wit = wit_types();
    assert_eq!(wit[&key("record", "options")], names::<OptionName>());
}

#[test]
fn record_options_read_the_records_fields_in_order() {
    let wit = wit_types();
    for (record, option) in [
        ("region", OptionName::Extract),
        ("point", OptionName::FocalPoint),
        ("edges", OptionName::Extend),
        ("overlay", OptionName::Overlay),
    ] {
        assert_eq!(
            wit[&key("record", record)],
            option.fields().unwrap(),
            "{record}"
        );
    }
}

#[test]
fn error_kinds_are_the_error_variant_cases() {
    let wit = wit_types();
    assert_eq!(wit[&key("variant", "error")], names::<ErrorKind>());
    // And each is a problem an HTTP answer can carry, under its own name.
    for &kind in ErrorKind::ALL {
        assert_eq!(Problem::from(kind).as_str(), kind.as_str());
    }
}

#[test]
fn the_parser_sees_a_changed_wit() {
    // The check above must be able to fail: a value missing from a set is noticed.
    let wit = wit_types();
    let mut fits = names::<Fit>();
    fits.pop();
    assert_ne!(wit[&key("enum", "fit")], fits);
}

#[test]
fn names_and_aliases_parse_back() {
    fn round_trip<T: Name + std::fmt::Debug>() {
        for &v in T::ALL {
            assert_eq!(T::parse(v.as_str()).unwrap(), v);
            assert_eq!(T::parse(&v.as_str().to_ascii_uppercase()).unwrap(), v);
            for alias in v.aliases() {
                assert_eq!(T::parse(alias).unwrap(), v, "{alias}");
            }
        }
        let err = T::parse("no-such-name").unwrap_err();
        assert_eq!(err.kind, T::KIND);
        assert!(err.to_string().contains(T::ALL[0].as_str()));
    }
    round_trip::<OutputFormat>();
    round_trip::<InputFormat>();
    round_trip::<Fit>();
    round_trip::<Filter>();
    round_trip::<LimitKind>();
    round_trip::<ErrorKind>();
    round_trip::<ColorProfile>();
    round_trip::<ChromaSubsampling>();
    round_trip::<Gravity>();
    round_trip::<OptionName>();
    round_trip::<HttpProblem>();
}

#[test]
fn no_alias_is_shared_between_values() {
    fn distinct<T: Name>() {
        let mut seen = std::collections::BTreeSet::new();
        for &v in T::ALL {
            for text in std::iter::once(v.as_str()).chain(v.aliases().iter().copied()) {
                assert!(seen.insert(text), "{} {text} twice", T::KIND);
            }
        }
    }
    distinct::<OutputFormat>();
    distinct::<InputFormat>();
    distinct::<OptionName>();
}

#[test]
fn formats_know_their_files() {
    assert_eq!(
        OutputFormat::from_extension("JPG"),
        Some(OutputFormat::Jpeg)
    );
    assert_eq!(
        OutputFormat::from_extension("webp"),
        Some(OutputFormat::Webp)
    );
    assert_eq!(OutputFormat::from_extension("gif"), Some(OutputFormat::Gif));
    assert_eq!(OutputFormat::from_extension("tiff"), None);
    for &f in OutputFormat::ALL {
        assert!(f.mime_type().starts_with("image/"));
    }
    assert_eq!(OutputFormat::Webp.max_dimension(), 16_383);
    assert_eq!(
        OptionName::Quality.refusal("must be 1 to 100, got 0"),
        "invalid option quality (q): must be 1 to 100, got 0"
    );
}
