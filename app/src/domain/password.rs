//! The password rules for staff accounts (OWASP ASVS 5.0 §6.2): at least 8 characters, at least
//! 64 allowed, no composition rules, and passwords from breach lists refused.

pub const MIN_PASSWORD_CHARS: usize = 8;
/// Long passphrases are welcome; the cap only bounds the argon2 input.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Passwords that top every breach list, plus local patterns. A guesser tries these first, so
/// accepting them would make the lockout the only defence.
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwerty123",
    "qwertyuiop",
    "11111111",
    "00000000",
    "88888888",
    "12341234",
    "87654321",
    "abcd1234",
    "iloveyou",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "admin123",
    "administrator",
    "letmein1",
    "trustno1",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "qwerty12",
    "asdfghjkl",
    "superman",
    "starwars",
    "dragon123",
    "monkey123",
    "master123",
    "changeme",
    "default1",
    "computer",
    "internet",
    "football1",
    "whatever",
    "michael1",
    "shadow12",
    "cambodia",
    "cambodia1",
    "kampuchea",
    "phnompenh",
    "angkorwat",
    "owso1234",
    "owsoowso",
    "onewindow",
    "12121212",
    "123123123",
    "987654321",
    "q1w2e3r4",
    "aa123456",
    "a1234567",
    "qwe12345",
    "secret123",
    "password!",
];

/// Checks a new password; answers the locale key of the reason it is refused.
pub fn check_new_password(password: &str, username: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err("err_password_short");
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("err_too_long");
    }
    let lower = password.to_lowercase();
    let all_same = password.chars().all(|c| password.starts_with(c));
    if all_same
        || COMMON.contains(&lower.as_str())
        || (!username.is_empty() && lower.contains(&username.to_lowercase()))
    {
        return Err("err_password_common");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_common_passwords() {
        assert_eq!(check_new_password("short", "u"), Err("err_password_short"));
        assert_eq!(
            check_new_password("Password123", "u"),
            Err("err_password_common")
        );
        assert_eq!(
            check_new_password("zzzzzzzzzz", "u"),
            Err("err_password_common")
        );
        assert_eq!(
            check_new_password("desk.1201-pass", "desk.1201"),
            Err("err_password_common")
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), "u"),
            Err("err_too_long")
        );
        assert!(check_new_password("correct horse battery", "u").is_ok());
        // 64 characters must be allowed, in any script.
        assert!(check_new_password(&"កខគឃ".repeat(16), "u").is_ok());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// Flips the case of the letters where `flips` says so.
    fn mixed_case(text: &str, flips: &[bool]) -> String {
        text.chars()
            .zip(flips.iter().cycle())
            .map(|(c, flip)| if *flip { c.to_ascii_uppercase() } else { c })
            .collect()
    }

    proptest! {
        #[test]
        fn accepted_passwords_follow_the_rules(
            password in prop_oneof![any::<String>(), "\\PC{0,140}", "[a-z0-9]{0,12}"],
            username in prop_oneof![Just(String::new()), "[a-z]{1,8}\\.[0-9]{4}", any::<String>()],
        ) {
            let chars = password.chars().count();
            match check_new_password(&password, &username) {
                Ok(()) => {
                    prop_assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars));
                    let lower = password.to_lowercase();
                    prop_assert!(!COMMON.contains(&lower.as_str()));
                    prop_assert!(username.is_empty() || !lower.contains(&username.to_lowercase()));
                    prop_assert!(password.chars().any(|c| !password.starts_with(c)));
                }
                Err(key) => {
                    let expected = if chars < MIN_PASSWORD_CHARS {
                        "err_password_short"
                    } else if chars > MAX_PASSWORD_CHARS {
                        "err_too_long"
                    } else {
                        "err_password_common"
                    };
                    prop_assert_eq!(key, expected);
                }
            }
        }

        #[test]
        fn common_passwords_are_refused_in_any_case(
            common in proptest::sample::select(COMMON.to_vec()),
            flips in proptest::collection::vec(any::<bool>(), 1..16),
        ) {
            let typed = mixed_case(common, &flips);
            prop_assert_eq!(check_new_password(&typed, "u"), Err("err_password_common"), "{}", typed);
        }

        #[test]
        fn a_password_containing_the_username_is_refused(
            username in "[a-z]{1,8}\\.[0-9]{4}",
            before in "[a-zA-Z0-9 ]{0,20}",
            after in "[a-zA-Z0-9 ]{0,20}",
            flips in proptest::collection::vec(any::<bool>(), 1..16),
        ) {
            let password = format!("{before}{}{after}", mixed_case(&username, &flips));
            prop_assume!(password.chars().count() >= MIN_PASSWORD_CHARS);
            prop_assert_eq!(check_new_password(&password, &username), Err("err_password_common"));
        }

        #[test]
        fn passphrases_in_any_script_are_accepted(
            phrase in prop_oneof!["[a-z]{4,8}( [a-z]{4,8}){2,5}", "[\u{1780}-\u{17b3}]{8,64}"],
        ) {
            prop_assume!(phrase.chars().any(|c| !phrase.starts_with(c)));
            prop_assert_eq!(check_new_password(&phrase, "desk.1201"), Ok(()));
        }
    }
}
