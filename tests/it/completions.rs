//! `edge-audit completions <shell>` and `edge-audit man`.

use crate::support::run;

#[test]
fn completions_for_every_shell_know_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stderr.is_empty(), "{shell}: {}", out.stderr);
        for word in ["edge-audit", "scan", "snapshot", "explain", "format"] {
            assert!(out.stdout.contains(word), "{shell} completions do not mention {word}");
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: ") && out.stderr.contains("tcsh"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn man_page_is_roff() {
    let out = run(&["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.lines().any(|l| l.starts_with(".TH edge-audit")), "no .TH line");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH SUBCOMMANDS"] {
        assert!(out.stdout.contains(section), "no {section}");
    }
    assert!(out.stdout.contains("scan"));
}
