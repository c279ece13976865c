//! The sampling rule, kept free of the database so it can be checked by hand: every delivered
//! case gets the rank SHA-256("{seed}:{code}") read as a big-endian u64 from its first 8 bytes;
//! each office keeps its n lowest ranks, and if that makes more than the cap, the cap lowest
//! overall stay. The rank depends only on the seed and the case code, so the same seed over the
//! same delivered cases gives the same sample on any machine and either database, and a monitor
//! can recompute any case's rank with `printf '%s' "SEED:CODE" | sha256sum`.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// A delivered case that may be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub case_id: i64,
    pub code: String,
    pub office_code: String,
}

pub fn rank(seed: i64, code: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{code}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// The sample, in case-code order. Ties in rank (practically impossible) go to the lower code.
pub fn draw(
    candidates: Vec<Candidate>,
    seed: i64,
    per_office: usize,
    cap: usize,
) -> Vec<Candidate> {
    let mut by_office: BTreeMap<String, Vec<(u64, Candidate)>> = BTreeMap::new();
    for c in candidates {
        by_office
            .entry(c.office_code.clone())
            .or_default()
            .push((rank(seed, &c.code), c));
    }
    let mut kept: Vec<(u64, Candidate)> = Vec::new();
    for (_, mut ranked) in by_office {
        ranked.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
        ranked.truncate(per_office);
        kept.extend(ranked);
    }
    if kept.len() > cap {
        kept.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
        kept.truncate(cap);
    }
    let mut sample: Vec<Candidate> = kept.into_iter().map(|(_, c)| c).collect();
    sample.sort_by(|a, b| a.code.cmp(&b.code));
    sample
}

/// Deals the sample (in code order) to the officers in turn, so each gets a fair share.
pub fn round_robin(sample_len: usize, officers: &[i32]) -> Vec<Option<i32>> {
    (0..sample_len)
        .map(|i| (!officers.is_empty()).then(|| officers[i % officers.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases(offices: &[(&str, usize)]) -> Vec<Candidate> {
        let mut id = 0;
        let mut out = Vec::new();
        for (office, n) in offices {
            for i in 0..*n {
                id += 1;
                out.push(Candidate {
                    case_id: id,
                    code: format!("{}26{:06}", &office[..2], id * 10 + i as i64),
                    office_code: office.to_string(),
                });
            }
        }
        out
    }

    #[test]
    fn rank_is_the_documented_digest() {
        // printf '%s' "42:1226000001" | sha256sum → the first 16 hex digits.
        let expected = u64::from_str_radix(
            &crate::backend::secrets::sha256_hex(b"42:1226000001")[..16],
            16,
        )
        .unwrap();
        assert_eq!(rank(42, "1226000001"), expected);
        assert_ne!(rank(42, "1226000001"), rank(43, "1226000001"));
    }

    #[test]
    fn same_seed_same_sample_and_limits_hold() {
        let all = cases(&[("1201", 30), ("1202", 3), ("0203", 12)]);
        let a = draw(all.clone(), 7, 5, 100);
        let mut shuffled = all.clone();
        shuffled.reverse();
        assert_eq!(a, draw(shuffled, 7, 5, 100), "input order does not matter");
        assert_eq!(a.len(), 5 + 3 + 5);
        for office in ["1201", "0203"] {
            assert_eq!(a.iter().filter(|c| c.office_code == office).count(), 5);
        }
        assert!(a.windows(2).all(|w| w[0].code < w[1].code));
        assert_ne!(
            a,
            draw(all.clone(), 8, 5, 100),
            "another seed, another sample"
        );
        let capped = draw(all.clone(), 7, 5, 4);
        assert_eq!(capped.len(), 4);
        assert!(
            capped.iter().all(|c| a.contains(c)),
            "the cap keeps the lowest ranks"
        );
        assert!(draw(Vec::new(), 7, 5, 4).is_empty());
    }

    #[test]
    fn officers_take_turns() {
        assert_eq!(
            round_robin(5, &[3, 9]),
            vec![Some(3), Some(9), Some(3), Some(9), Some(3)]
        );
        assert_eq!(round_robin(2, &[]), vec![None, None]);
    }
}
