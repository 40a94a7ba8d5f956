//! `--connect-to HOST:PORT:ADDR:PORT2`, as curl has it: a request for `HOST:PORT` opens its TCP
//! connection to `ADDR:PORT2` instead, while everything else — the URL, the `Host` header, the
//! TLS server name (SNI) and the name the certificate is verified against — stays `HOST`.
//!
//! An empty `HOST` or `PORT` matches any; an empty `ADDR` keeps the host, an empty `PORT2` the
//! port. IPv6 addresses go in brackets (`[::1]`). The first matching rule wins.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTo {
    /// Lower-case; `None` matches any host.
    pub host: Option<String>,
    pub port: Option<u16>,
    /// Without brackets; `None` keeps the request's host.
    pub addr: Option<String>,
    pub addr_port: Option<u16>,
}

impl ConnectTo {
    /// Where to connect for a request to `host:port`, when this rule applies.
    pub fn apply(&self, host: &str, port: u16) -> Option<(String, u16)> {
        if self.host.as_deref().is_some_and(|h| !h.eq_ignore_ascii_case(host)) {
            return None;
        }
        if self.port.is_some_and(|p| p != port) {
            return None;
        }
        Some((self.addr.clone().unwrap_or_else(|| host.to_string()), self.addr_port.unwrap_or(port)))
    }

    /// The destination of a request to `host:port` under `rules`: the first rule that applies,
    /// else the host itself.
    pub fn resolve(rules: &[Self], host: &str, port: u16) -> (String, u16) {
        rules.iter().find_map(|r| r.apply(host, port)).unwrap_or_else(|| (host.to_string(), port))
    }
}

impl FromStr for ConnectTo {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let fields = split_fields(text)
            .filter(|f| f.len() == 4)
            .ok_or_else(|| format!("`{text}` is not HOST:PORT:ADDR:PORT2 (fields may be empty)"))?;
        let port = |field: &str| -> Result<Option<u16>, String> {
            if field.is_empty() {
                return Ok(None);
            }
            match field.parse::<u16>() {
                Ok(p) if p > 0 => Ok(Some(p)),
                _ => Err(format!("`{field}` in `{text}` is not a port")),
            }
        };
        let name = |field: &str| (!field.is_empty()).then(|| field.to_ascii_lowercase());
        Ok(Self {
            host: name(&fields[0]),
            port: port(&fields[1])?,
            addr: name(&fields[2]),
            addr_port: port(&fields[3])?,
        })
    }
}

impl fmt::Display for ConnectTo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bracket = |s: &Option<String>| match s {
            Some(s) if s.contains(':') => format!("[{s}]"),
            Some(s) => s.clone(),
            None => String::new(),
        };
        let port = |p: Option<u16>| p.map(|p| p.to_string()).unwrap_or_default();
        write!(
            f,
            "{}:{}:{}:{}",
            bracket(&self.host),
            port(self.port),
            bracket(&self.addr),
            port(self.addr_port)
        )
    }
}

/// Splits on `:` outside brackets, removing the brackets.
fn split_fields(text: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut in_brackets = false;
    for c in text.chars() {
        match c {
            '[' if !in_brackets => in_brackets = true,
            ']' if in_brackets => in_brackets = false,
            ':' if !in_brackets => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    (!in_brackets).then_some(fields)
}
