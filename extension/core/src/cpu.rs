//! Run-time CPU feature detection for x86_64 without std.
//!
//! `is_x86_feature_detected!` lives in std, so this reads CPUID directly. AVX
//! registers are only usable when the OS saves their state on context switch,
//! which CPUID alone does not tell: XGETBV's XCR0 must show XMM and YMM state
//! enabled, and for AVX-512 also the opmask and both halves of the ZMM state. The answer is cached in an atomic because CPUID is slow (it can trap
//! in VMs) and the dispatchers ask on every call. On other architectures every
//! query answers `false`.

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv};
    use core::sync::atomic::{AtomicU8, Ordering};

    pub const AVX2_FMA: u8 = 1 << 1;
    pub const F16C: u8 = 1 << 2;
    pub const POPCNT: u8 = 1 << 3;
    pub const AVX512_VPOPCNTDQ: u8 = 1 << 4;
    pub const AVX512F: u8 = 1 << 5;
    const KNOWN: u8 = 1 << 0;

    static FEATURES: AtomicU8 = AtomicU8::new(0);

    #[inline]
    pub fn features() -> u8 {
        let f = FEATURES.load(Ordering::Relaxed);
        if f & KNOWN != 0 {
            return f;
        }
        // Racing initialisations compute the same value, so Relaxed is enough.
        let f = detect() | KNOWN;
        FEATURES.store(f, Ordering::Relaxed);
        f
    }

    #[cold]
    fn detect() -> u8 {
        let max_leaf = __cpuid(0).eax;
        if max_leaf < 1 {
            return 0;
        }
        let ecx = __cpuid(1).ecx;
        let bit = |n: u32| ecx & (1 << n) != 0;
        let mut f = 0;
        if bit(23) {
            f |= POPCNT;
        }
        let (fma, osxsave, avx, f16c) = (bit(12), bit(27), bit(28), bit(29));
        // SAFETY: OSXSAVE set means the OS enabled XGETBV.
        if !(osxsave && avx) || unsafe { xcr0() } & 0b110 != 0b110 {
            return f;
        }
        if f16c {
            f |= F16C;
        }
        if max_leaf < 7 {
            return f;
        }
        let leaf7 = __cpuid_count(7, 0);
        if leaf7.ebx & (1 << 5) != 0 && fma {
            f |= AVX2_FMA;
        }
        // AVX-512F is leaf 7 EBX bit 16, VPOPCNTDQ leaf 7 ECX bit 14. XCR0 bits 5, 6, 7:
        // opmask registers, upper halves of ZMM0–15, ZMM16–31 (with 1, 2: XMM and YMM).
        let (avx512f, vpopcntdq) = (leaf7.ebx & (1 << 16) != 0, leaf7.ecx & (1 << 14) != 0);
        // SAFETY: as above.
        if !avx512f || unsafe { xcr0() } & 0b1110_0110 != 0b1110_0110 {
            return f;
        }
        f |= AVX512F;
        if vpopcntdq {
            f |= AVX512_VPOPCNTDQ;
        }
        f
    }

    #[target_feature(enable = "xsave")]
    unsafe fn xcr0() -> u64 {
        unsafe { _xgetbv(0) }
    }
}

/// AVX2 and FMA are present and usable (the `distance::avx2` kernels may run).
#[inline]
pub fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::features() & x86::AVX2_FMA != 0;
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// AVX-512F is present and the OS saves ZMM and opmask state (the `distance::avx512`
/// kernels may run).
#[inline]
pub fn has_avx512f() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::features() & x86::AVX512F != 0;
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// AVX-512F and AVX512_VPOPCNTDQ are present and the OS saves ZMM and opmask state (the
/// `rabitq::scan::avx512` kernel may run).
#[inline]
pub fn has_avx512_vpopcntdq() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::features() & x86::AVX512_VPOPCNTDQ != 0;
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// F16C (with AVX state) is present and usable (bulk f16 conversion in hardware).
#[inline]
pub fn has_f16c() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::features() & x86::F16C != 0;
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The POPCNT instruction is present.
#[inline]
pub fn has_popcnt() -> bool {
    #[cfg(target_arch = "x86_64")]
    return x86::features() & x86::POPCNT != 0;
    #[cfg(not(target_arch = "x86_64"))]
    false
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    extern crate std;

    fn cpuinfo_has(flag: &str) -> bool {
        let info = std::fs::read_to_string("/proc/cpuinfo").expect("read /proc/cpuinfo");
        let flags = info
            .lines()
            .find(|l| l.starts_with("flags"))
            .expect("flags line");
        flags.split_whitespace().any(|f| f == flag)
    }

    #[test]
    fn agrees_with_std_and_cpuinfo() {
        let std_avx2_fma =
            std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma");
        assert_eq!(super::has_avx2_fma(), std_avx2_fma);
        assert_eq!(
            super::has_avx2_fma(),
            cpuinfo_has("avx2") && cpuinfo_has("fma")
        );
        assert_eq!(super::has_f16c(), std::is_x86_feature_detected!("f16c"));
        assert_eq!(super::has_f16c(), cpuinfo_has("f16c"));
        assert_eq!(super::has_popcnt(), std::is_x86_feature_detected!("popcnt"));
        assert_eq!(super::has_avx512f(), std::is_x86_feature_detected!("avx512f"));
        assert_eq!(super::has_avx512f(), cpuinfo_has("avx512f"));
        let std_avx512 =
            std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512vpopcntdq");
        assert_eq!(super::has_avx512_vpopcntdq(), std_avx512);
        assert_eq!(
            super::has_avx512_vpopcntdq(),
            cpuinfo_has("avx512f") && cpuinfo_has("avx512_vpopcntdq")
        );
    }
}
