//! Request paths: the template's text, and path parameters that cannot change it.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request path being filled in: the template's text, and each path parameter
/// percent-encoded as one segment (`a/b c` -> `a%2Fb%20c`).
///
/// A parameter that is empty, `.` or `..` is refused: URL normalisation would turn it
/// into another path (`/v9/projects/..` is `/v9/`), so the request would reach another
/// endpoint. The first refusal is kept and returned when the request is sent.
pub(crate) struct Path {
    text: String,
    refused: Option<(&'static str, String)>,
}

impl Path {
    /// A path that starts with `text`.
    pub(crate) fn new(text: &str) -> Self {
        Path {
            text: text.to_owned(),
            refused: None,
        }
    }

    /// The filled-in path, or the path parameter refused first (its name and why).
    pub(crate) fn finish(self) -> Result<String, (&'static str, String)> {
        match self.refused {
            Some(refused) => Err(refused),
            None => Ok(self.text),
        }
    }

    /// Appends literal text of the template.
    pub(crate) fn text(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// Appends the path parameter `name` (its name in the template), percent-encoded.
    pub(crate) fn param(mut self, name: &'static str, value: &dyn std::fmt::Display) -> Self {
        let value = value.to_string();
        match value.as_str() {
            "" | "." | ".." if self.refused.is_none() => {
                let shown = if value.is_empty() { "empty" } else { "`.` or `..`" };
                let message = format!("the value is {shown}, which would send the request to another path");
                self.refused = Some((name, message));
            }
            _ => self.text.extend(utf8_percent_encode(&value, PATH_SEGMENT)),
        }
        self
    }
}
