#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| ofdkit_fuzz::json_accessors(data));
