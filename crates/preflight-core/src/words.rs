//! Counts in words, as every summary and message writes them: `1 step`,
//! `2 steps`, `1 dependency`, `3 dependencies`, `2 fixes`.

/// `count` and `noun`, the noun's last word made plural unless the count
/// is one.
pub fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {}", plural(noun)),
    }
}

/// The plural of the nouns Preflight counts (regular English nouns, and
/// "info", a mass noun: "4 info").
fn plural(noun: &str) -> String {
    if noun.ends_with("info") {
        return noun.to_string();
    }
    if let Some(stem) = noun.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            return format!("{stem}ies");
        }
    }
    if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        return format!("{noun}es");
    }
    format!("{noun}s")
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "step"), "1 step");
        assert_eq!(counted(0, "step"), "0 steps");
        assert_eq!(counted(2, "syntax error"), "2 syntax errors");
        assert_eq!(counted(3, "dependency"), "3 dependencies");
        assert_eq!(counted(2, "key"), "2 keys");
        assert_eq!(counted(2, "fix"), "2 fixes");
        assert_eq!(counted(1, "more statement"), "1 more statement");
        assert_eq!(counted(4, "info"), "4 info");
    }
}
