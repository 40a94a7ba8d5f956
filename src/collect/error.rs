//! Turning SDK errors into the short, secret-free text that coverage records carry.
//!
//! Only the error code and message AWS returned are used (never `Debug` output, which can include
//! request details). Requests never carry secret values, so AWS messages cannot echo one.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::error::Error as StdError;

/// A failed API call, described for a coverage record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// `code: message`, or a description of a timeout / network / protocol failure.
    pub text: String,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl CallError {
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

impl<E> From<SdkError<E, HttpResponse>> for CallError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    fn from(error: SdkError<E, HttpResponse>) -> Self {
        describe(&error)
    }
}

/// Describes an SDK error by its code and message.
pub(super) fn describe<E>(error: &SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + StdError + 'static,
{
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let service_error = context.err();
            match (service_error.code(), service_error.message()) {
                (Some(code), Some(message)) if !message.is_empty() => {
                    CallError::new(format!("{code}: {message}"))
                }
                (Some(code), _) => CallError::new(format!("{code} (HTTP {status})")),
                // A success status the SDK could not parse. The parser's message is not used:
                // it may quote a field of the answer, and answers can carry secret values.
                (None, _) if (200..300).contains(&status) => {
                    CallError::new(format!("the answer could not be parsed (HTTP {status})"))
                }
                // moto answers 404/500 without an AWS error document for operations it does
                // not implement; a real endpoint does the same for an unknown operation.
                (None, _) => CallError::new(format!(
                    "HTTP {status} without an AWS error code (operation not supported by the endpoint?)"
                )),
            }
        }
        SdkError::TimeoutError(_) => CallError::new("timed out (operation or attempt timeout reached)"),
        SdkError::DispatchFailure(failure) => {
            let kind = if failure.is_timeout() {
                "timed out connecting"
            } else if failure.is_io() {
                "network error"
            } else {
                "request could not be sent"
            };
            CallError::new(match innermost_source(error) {
                Some(cause) => format!("{kind}: {cause}"),
                None => kind.to_string(),
            })
        }
        SdkError::ResponseError(response) => {
            CallError::new(format!("unreadable response (HTTP {})", response.raw().status().as_u16()))
        }
        SdkError::ConstructionFailure(_) => CallError::new("the request could not be built"),
        _ => CallError::new("unknown SDK error"),
    }
}

/// The deepest cause of a transport failure (`Connection refused (os error 111)`): the useful
/// part, without the layers of wrapping. Transport errors carry no request payload.
fn innermost_source(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut cause = error.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause.to_string())
}
