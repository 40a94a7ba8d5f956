//! Strict deserialisation of the inventory: internally tagged enums that keep the field path of
//! an error, and the path and marker helpers the loaders use to report it.
//!
//! serde's derived internally tagged enums (`#[serde(tag = "type")]`) buffer the object and
//! deserialise the variant from that buffer, where `serde_path_to_error` cannot follow: an error
//! deep inside a WAF statement was reported at `…rules[0].statement`. [`tagged_enum!`] keeps the
//! derived `Serialize` (the JSON shape does not change) and deserialises through a private,
//! externally tagged mirror of the enum with its own path tracking. The inner path travels in
//! the error message between two [`NESTED_PATH_MARK`]s; [`split_nested`] takes it back out.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use serde_path_to_error::{Path, Segment};
use std::fmt::Write as _;

/// Delimits a field path carried inside an error message (a control character: serde never
/// writes one, and input that smuggles one in can at worst garble the path it is part of).
pub const NESTED_PATH_MARK: char = '\u{1f}';

/// Map keys longer than this are not copied into a path: a path names where, it does not quote
/// input.
const MAX_PATH_KEY_CHARS: usize = 32;

/// Declares an internally tagged enum (`"type": "<variant>"`, snake_case variants, unknown fields
/// denied) that derives nothing but whose `Deserialize` keeps error paths. The caller derives
/// `Serialize` with the matching `#[serde(tag = "type", rename_all = "snake_case")]`.
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident $({
                    $( $(#[$field_meta:meta])* $field:ident : $field_type:ty ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant $({ $( $(#[$field_meta])* $field : $field_type ),* })? ),*
        }

        const _: () = {
            /// The same variants, externally tagged: `{"<variant>": {fields}}`.
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "snake_case", deny_unknown_fields)]
            enum Mirror {
                $( $variant { $($( $(#[$field_meta])* $field : $field_type ),*)? } ),*
            }

            fn from_mirror(mirror: Mirror) -> $name {
                match mirror {
                    $( Mirror::$variant { $($($field),*)? } => $name::$variant { $($($field),*)? } ),*
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    $crate::strict::deserialize_tagged::<D, Mirror>(deserializer).map(from_mirror)
                }
            }
        };
    };
}

pub(crate) use tagged_enum;

/// Reads an internally tagged object as the externally tagged `M`, with path tracking.
pub(crate) fn deserialize_tagged<'de, D, M>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: DeserializeOwned,
{
    let mut object = Map::<String, Value>::deserialize(deserializer)?;
    let tag = match object.remove("type") {
        Some(Value::String(tag)) => tag,
        Some(_) => return Err(D::Error::custom(nested("type", "invalid type: expected a string"))),
        None => return Err(D::Error::missing_field("type")),
    };
    let external = Value::Object(Map::from_iter([(tag, Value::Object(object))]));
    serde_path_to_error::deserialize::<_, M>(external).map_err(|e| {
        let message = e.inner().to_string();
        let (inner_path, message) = match split_nested(&message) {
            Some((inner_path, message)) => (join_path(&render_path(e.path(), false), inner_path), message),
            None => (render_path(e.path(), is_unknown_key_of_secret(&message)), message.as_str()),
        };
        let path = if inner_path.is_empty() && message.starts_with("unknown variant") {
            "type".to_string()
        } else {
            inner_path
        };
        D::Error::custom(nested(&path, message))
    })
}

/// A message that carries the path where it happened, below the point that reports it.
fn nested(path: &str, message: &str) -> String {
    format!("{NESTED_PATH_MARK}{path}{NESTED_PATH_MARK}{message}")
}

/// Splits a message made by a tagged enum into its inner path and the message proper.
pub fn split_nested(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix(NESTED_PATH_MARK)?;
    let end = rest.find(NESTED_PATH_MARK)?;
    Some((&rest[..end], &rest[end + NESTED_PATH_MARK.len_utf8()..]))
}

/// `outer` followed by `inner` (`a.b` + `c[0]` = `a.b.c[0]`, `a` + `[1].x` = `a[1].x`).
pub fn join_path(outer: &str, inner: &str) -> String {
    match (outer.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_string(),
        (false, true) => outer.to_string(),
        (false, false) if inner.starts_with('[') => format!("{outer}{inner}"),
        (false, false) => format!("{outer}.{inner}"),
    }
}

/// Whether `message` is serde's complaint about an unknown key inside a secret value, where the
/// key itself could be the secret pasted in clear: the path must not name it.
pub fn is_unknown_key_of_secret(message: &str) -> bool {
    message.starts_with("unknown field") && message.contains("`fingerprint`")
}

/// A field path as `accounts[0].web_acls[1].rules[0]`: enum variant segments left out (they are
/// the `type` value, not a field), long map keys elided, and the last key too when
/// `hide_last_key` (see [`is_unknown_key_of_secret`]).
pub fn render_path(path: &Path, hide_last_key: bool) -> String {
    let mut out = String::new();
    let last = path.iter().count().saturating_sub(1);
    for (i, segment) in path.iter().enumerate() {
        if hide_last_key && i == last && matches!(segment, Segment::Map { .. }) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str("(key not shown)");
            continue;
        }
        match segment {
            Segment::Seq { index } => {
                let _ = write!(out, "[{index}]");
            }
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                if key.chars().count() > MAX_PATH_KEY_CHARS {
                    out.push('…');
                } else {
                    out.extend(key.chars().flat_map(char::escape_debug));
                }
            }
            Segment::Enum { .. } => {}
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::inventory::{FieldToMatch, LbAction, RuleCondition, Statement};
    use crate::origin::OriginKind;
    use crate::secret::SecretValue;

    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let json = serde_json::to_string(&value).unwrap_or_default();
        let back: Result<T, _> = serde_json::from_str(&json);
        assert_eq!(back.ok().as_ref(), Some(&value), "{json}");
    }

    #[test]
    fn tagged_enums_keep_their_json_shape() {
        round_trip(Statement::Not {
            statement: Box::new(Statement::ByteMatch {
                field: FieldToMatch::UriPath,
                positional_constraint: "EXACTLY".into(),
                search: SecretValue::from_plaintext("value"),
                transformations: vec!["LOWERCASE".into()],
                test: None,
            }),
        });
        round_trip(Statement::RateBased { limit: 100, aggregate_key_type: "IP".into(), scope_down: None });
        round_trip(RuleCondition::HttpHeader {
            name: "x".into(),
            values: vec![SecretValue::from_plaintext("v")],
            tests: vec![],
            regex: false,
        });
        round_trip(RuleCondition::HttpHeader {
            name: "x".into(),
            values: vec![SecretValue::from_plaintext("^v$")],
            tests: vec![],
            regex: true,
        });
        round_trip(LbAction::Redirect { host: None, port: Some("443".into()), protocol: None });
        round_trip(OriginKind::Custom);
        round_trip(OriginKind::Alb { dns_name: "a".into(), region: None });
        let json = serde_json::to_value(FieldToMatch::UriPath).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"type": "uri_path"}));
        // Defaults still apply, unknown fields are still refused.
        let parsed: Result<Statement, _> =
            serde_json::from_str(r#"{"type": "managed_rule_group", "vendor": "AWS", "name": "Common"}"#);
        assert!(parsed.is_ok());
        let unit_with_extra: Result<FieldToMatch, _> =
            serde_json::from_str(r#"{"type": "uri_path", "x": 1}"#);
        assert!(unit_with_extra.is_err());
    }

    #[test]
    fn errors_carry_the_path_below_the_enum() {
        let text = r#"{"type": "or", "statements": [{"type": "geo_match", "country_codes": [1]}]}"#;
        let message =
            serde_json::from_str::<Statement>(text).err().map(|e| e.to_string()).unwrap_or_default();
        let (path, inner) = super::split_nested(&message).unwrap_or(("", ""));
        assert_eq!(path, "statements[0].country_codes[0]");
        assert!(inner.starts_with("invalid type: integer `1`, expected a string"), "{inner}");
        let missing = serde_json::from_str::<Statement>(r#"{"statements": []}"#).err().map(|e| e.to_string());
        assert!(missing.unwrap_or_default().starts_with("missing field `type`"));
    }
}
