//! Scope-level failures are fatal and say what is wrong: invalid options, no credentials, and an
//! account whose role cannot be assumed (named in the error).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::aws_mock::{fast_retry, test_credentials};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use edge_audit::collect::{collect_with_config, CollectError, CollectOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CALLER: &str = "123456789012";
const MEMBER: &str = "210987654321";

fn config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .endpoint_url(endpoint)
        .retry_config(fast_retry(1))
        .build()
}

fn one_region() -> CollectOptions {
    CollectOptions { regions: Some(vec!["us-east-1".into()]), ..CollectOptions::default() }
}

/// An STS that knows the caller and refuses every AssumeRole, as AWS does when the member
/// account's role does not trust the caller.
async fn refusing_sts() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The whole request: headers, then Content-Length bytes of form body.
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else { return };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    let text = String::from_utf8_lossy(&request);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().to_string())
                            })
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        if body.len() >= length {
                            break;
                        }
                    }
                }
                let text = String::from_utf8_lossy(&request);
                let (status, body) = if text.contains("Action=AssumeRole") {
                    (
                        "403 Forbidden",
                        format!(
                            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: \
                             arn:aws:iam::{CALLER}:user/auditor is not authorized to perform: sts:AssumeRole on \
                             resource: arn:aws:iam::{MEMBER}:role/EdgeAuditReadOnly</Message></Error>\
                             <RequestId>1</RequestId></ErrorResponse>"
                        ),
                    )
                } else {
                    (
                        "200 OK",
                        format!(
                            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                             <GetCallerIdentityResult><Arn>arn:aws:iam::{CALLER}:user/auditor</Arn>\
                             <UserId>AIDATEST</UserId><Account>{CALLER}</Account></GetCallerIdentityResult>\
                             <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
                        ),
                    )
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    endpoint
}

#[tokio::test]
async fn invalid_options_are_refused_before_any_call() {
    // Nothing listens on this endpoint: validation must come first.
    let config = config("http://127.0.0.1:9");
    let cases = [
        CollectOptions { accounts: vec!["12345".into()], ..one_region() },
        CollectOptions { regions: Some(vec![]), ..one_region() },
        CollectOptions { regions: Some(vec!["global".into()]), ..one_region() },
        CollectOptions { regions: Some(vec!["us-east-1; rm".into()]), ..one_region() },
        CollectOptions { org: true, accounts: vec![MEMBER.into()], ..one_region() },
    ];
    for options in cases {
        match collect_with_config(&options, config.clone()).await {
            Err(CollectError::InvalidOption(message)) => assert!(!message.is_empty()),
            other => panic!("{options:?}: expected an invalid option, got {:?}", other.map(|_| ())),
        }
    }
}

#[tokio::test]
async fn missing_credentials_are_fatal() {
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .retry_config(fast_retry(1))
        .build();
    let error = collect_with_config(&one_region(), config).await.map(|_| ()).unwrap_err();
    assert!(matches!(error, CollectError::Credentials(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "no usable AWS credentials: no credential provider is configured; configure credentials or pass --profile"
    );
}

#[tokio::test]
async fn an_account_whose_role_cannot_be_assumed_is_named() {
    let endpoint = refusing_sts().await;
    let options = CollectOptions { accounts: vec![MEMBER.into()], ..one_region() };
    let error = collect_with_config(&options, config(&endpoint)).await.map(|_| ()).unwrap_err();
    let CollectError::AssumeRole { role_arn, account, message } = &error else { panic!("{error:?}") };
    assert_eq!(role_arn, &format!("arn:aws:iam::{MEMBER}:role/EdgeAuditReadOnly"));
    assert_eq!(account.as_deref(), Some(MEMBER));
    assert!(message.contains("AccessDenied"), "{message}");
    let text = error.to_string();
    assert!(text.contains(MEMBER) && text.contains("EdgeAuditReadOnly"), "{text}");
    // The AWS code and message, not a dump of the response.
    assert!(
        text.ends_with(
            "sts:AssumeRole failed: AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not \
         authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/EdgeAuditReadOnly"
        ),
        "{text}"
    );
}
