use super::text::optional;

/// An email address, kept as typed (trimmed); compared case-insensitively through [`Email::key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("Email is required.".into());
        }
        let shaped = value.len() <= 254
            && email_address::EmailAddress::is_valid(value)
            && value
                .rsplit('@')
                .next()
                .is_some_and(|domain| domain.contains('.'));
        if !shaped {
            return Err(format!("'{value}' is not an email address."));
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to look an address up: two spellings of one mailbox share it.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A telephone number: digits with the usual separators, 7 to 15 digits, optional extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, String> {
        let Some(value) = optional(raw, "Phone", 40)? else {
            return Ok(None);
        };
        let lower = value.to_lowercase();
        let (number, extension) = match lower.split_once("ext").or_else(|| lower.split_once('x')) {
            Some((number, ext)) => (number.to_string(), Some(ext.trim_start_matches('.').trim())),
            None => (lower.clone(), None),
        };
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        let digits = number.chars().filter(char::is_ascii_digit).count();
        let plus_ok = number
            .trim_start()
            .strip_prefix('+')
            .unwrap_or(&number)
            .find('+')
            .is_none();
        let ext_ok = extension.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()));
        if !number.chars().all(allowed) || !plus_ok || !ext_ok {
            return Err(format!(
                "'{value}' is not a phone number: use digits, spaces, + - ( ) and an optional 'ext 12'."
            ));
        }
        if !(7..=15).contains(&digits) {
            return Err(format!(
                "'{value}' has {digits} digits; a phone number has 7 to 15."
            ));
        }
        Ok(Some(Self(value)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web address; `example.com` is taken as `https://example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, String> {
        let Some(value) = optional(raw, "Website", 200)? else {
            return Ok(None);
        };
        let lower = value.to_lowercase();
        let full = if lower.starts_with("http://") || lower.starts_with("https://") {
            value.clone()
        } else if lower.contains("://") {
            return Err(format!(
                "'{value}' is not a web address: it must start with http:// or https://."
            ));
        } else {
            format!("https://{value}")
        };
        let rest = full.split_once("://").map(|(_, rest)| rest).unwrap_or_default();
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
        let labels_ok = host_name.split('.').all(|label| {
            !label.is_empty()
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if host_name.split('.').count() < 2 || !labels_ok || full.contains(char::is_whitespace) {
            return Err(format!("'{value}' is not a web address, such as example.com."));
        }
        Ok(Some(Self(full)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough to resist guessing. Never stored as it is; only its hash is.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_LENGTH: usize = 10;
    pub const MAX_LENGTH: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let length = raw.chars().count();
        if length < Self::MIN_LENGTH {
            return Err(format!(
                "Password must be at least {} characters (it has {length}).",
                Self::MIN_LENGTH
            ));
        }
        if length > Self::MAX_LENGTH {
            return Err(format!(
                "Password must be at most {} characters.",
                Self::MAX_LENGTH
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_must_have_a_mailbox_and_a_domain_with_a_dot() {
        assert_eq!(
            Email::parse(" Jo@Example.com ").unwrap().as_str(),
            "Jo@Example.com"
        );
        assert_eq!(Email::parse("Jo@Example.com").unwrap().key(), "jo@example.com");
        assert_eq!(Email::parse("jo@").unwrap_err(), "'jo@' is not an email address.");
        assert!(Email::parse("jo@localhost").is_err());
        assert_eq!(Email::parse("").unwrap_err(), "Email is required.");
    }

    #[test]
    fn phone_accepts_common_notations() {
        for ok in [
            "+1 (555) 010-2030",
            "030 1234567",
            "555.010.2030 ext 12",
            "+44 20 7946 0958x7",
        ] {
            assert!(Phone::parse_optional(ok).unwrap().is_some(), "{ok}");
        }
        assert_eq!(Phone::parse_optional("  ").unwrap(), None);
    }

    #[test]
    fn phone_refuses_letters_and_wrong_digit_counts() {
        assert!(Phone::parse_optional("call me")
            .unwrap_err()
            .contains("not a phone number"));
        assert_eq!(
            Phone::parse_optional("12345").unwrap_err(),
            "'12345' has 5 digits; a phone number has 7 to 15."
        );
        assert!(Phone::parse_optional("1+2345678").is_err());
    }

    #[test]
    fn website_gets_a_scheme_and_needs_a_host() {
        assert_eq!(
            Website::parse_optional("example.com/shop")
                .unwrap()
                .unwrap()
                .as_str(),
            "https://example.com/shop"
        );
        assert_eq!(
            Website::parse_optional("http://shop.example.com:8080")
                .unwrap()
                .unwrap()
                .as_str(),
            "http://shop.example.com:8080"
        );
        assert!(Website::parse_optional("not a site").is_err());
        assert!(Website::parse_optional("ftp://example.com").is_err());
        assert!(Website::parse_optional("localhost").is_err());
    }

    #[test]
    fn password_has_a_minimum_length() {
        assert!(Password::parse("short").unwrap_err().contains("at least 10"));
        assert!(Password::parse("long enough pass").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("long enough pass").unwrap()),
            "Password(…)"
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC*") {
            let _ = Email::parse(&s);
            let _ = Phone::parse_optional(&s);
            let _ = Website::parse_optional(&s);
            let _ = Password::parse(&s);
        }

        #[test]
        fn accepted_phones_have_seven_to_fifteen_digits(s in "[0-9 +()-]{0,30}") {
            if let Ok(Some(phone)) = Phone::parse_optional(&s) {
                let digits = phone.as_str().chars().filter(char::is_ascii_digit).count();
                prop_assert!((7..=15).contains(&digits));
            }
        }
    }
}
