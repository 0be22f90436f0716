//! HTTPS: the sandbox serves TLS with a certificate chain and key given in
//! PEM, through rustls on the ring provider (no OpenSSL, the same provider
//! the client's ureq uses). With the `test-ca` feature, [`TestCa`] makes a
//! throw-away certificate authority and leaf certificates for tests, so a
//! client's test can trust exactly that CA and nothing else.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls;

/// A certificate chain (leaf first, in PEM) and its private key (PEM:
/// PKCS#8, PKCS#1 or SEC1).
#[derive(Clone)]
pub struct TlsIdentity {
    pub cert_chain_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    // The key stays out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("cert_chain_pem", &String::from_utf8_lossy(&self.cert_chain_pem))
            .field("key_pem", &"<hidden>")
            .finish()
    }
}

impl TlsIdentity {
    pub fn from_pem(cert_chain_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> TlsIdentity {
        TlsIdentity { cert_chain_pem: cert_chain_pem.into(), key_pem: key_pem.into() }
    }

    /// Reads the chain and the key from PEM files; the error names the file.
    pub fn from_pem_files(cert_chain: &Path, key: &Path) -> std::io::Result<TlsIdentity> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        };
        Ok(TlsIdentity { cert_chain_pem: read(cert_chain)?, key_pem: read(key)? })
    }

    /// The rustls server configuration, or why there is none.
    pub(crate) fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, String> {
        let chain = CertificateDer::pem_slice_iter(&self.cert_chain_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the certificate chain is not PEM: {e}"))?;
        if chain.is_empty() {
            return Err("the certificate chain has no CERTIFICATE block".to_owned());
        }
        let key = PrivateKeyDer::from_pem_slice(&self.key_pem)
            .map_err(|e| format!("the private key is not a PEM key (PKCS#8, PKCS#1 or SEC1): {e}"))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| format!("the key does not fit the certificate: {e}"))?;
        // The sandbox speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

#[cfg(feature = "test-ca")]
pub use test_ca::TestCa;

#[cfg(feature = "test-ca")]
mod test_ca {
    use super::TlsIdentity;
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};

    /// A certificate authority made for one test run. Trust
    /// [`TestCa::cert_pem`] in the client under test and serve the sandbox
    /// with [`TestCa::issue`].
    ///
    /// ```
    /// # use ofdkit_sandbox::{Sandbox, SandboxConfig, TestCa};
    /// let ca = TestCa::new();
    /// let sandbox = Sandbox::start(SandboxConfig {
    ///     tls: Some(ca.issue(&["127.0.0.1", "localhost"])),
    ///     ..SandboxConfig::instant()
    /// })
    /// .unwrap();
    /// assert!(sandbox.base_url().starts_with("https://127.0.0.1:"));
    /// ```
    pub struct TestCa {
        cert: rcgen::Certificate,
        key: KeyPair,
    }

    impl Default for TestCa {
        fn default() -> Self {
            TestCa::new()
        }
    }

    impl TestCa {
        /// A new CA with a fresh ECDSA P-256 key.
        pub fn new() -> TestCa {
            // Generating a key and signing with fixed, well-formed parameters
            // fails only when the system has no randomness.
            let key = KeyPair::generate().expect("a key pair (the system's randomness)");
            let mut params = CertificateParams::new(Vec::<String>::new()).expect("no names to parse");
            params.distinguished_name.push(DnType::CommonName, "ofdkit sandbox test CA");
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let cert = params.self_signed(&key).expect("a self-signed CA certificate");
            TestCa { cert, key }
        }

        /// The CA's certificate in PEM, for the client's trust store.
        pub fn cert_pem(&self) -> String {
            self.cert.pem()
        }

        /// The CA's certificate in DER.
        pub fn cert_der(&self) -> Vec<u8> {
            self.cert.der().to_vec()
        }

        /// A leaf certificate for `names` (DNS names or IP addresses, e.g.
        /// `127.0.0.1` and `localhost`), signed by this CA, with its key: the
        /// chain is the leaf then the CA.
        ///
        /// # Panics
        /// When a name is neither a DNS name nor an IP address.
        pub fn issue(&self, names: &[&str]) -> TlsIdentity {
            let key = KeyPair::generate().expect("a key pair (the system's randomness)");
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            let mut params = CertificateParams::new(names).expect("DNS names or IP addresses");
            params.distinguished_name.push(DnType::CommonName, "ofdkit sandbox");
            let leaf = params.signed_by(&key, &self.cert, &self.key).expect("a leaf certificate");
            TlsIdentity {
                cert_chain_pem: format!("{}{}", leaf.pem(), self.cert.pem()).into_bytes(),
                key_pem: key.serialize_pem().into_bytes(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_with_a_reason() {
        let err = TlsIdentity::from_pem("not pem", "nor this").server_config().unwrap_err();
        assert!(err.contains("no CERTIFICATE"), "{err}");
        let ca = TestCa::new();
        let mut identity = ca.issue(&["localhost"]);
        assert!(identity.server_config().is_ok());
        identity.key_pem = TestCa::new().issue(&["localhost"]).key_pem;
        let err = identity.server_config().unwrap_err();
        assert!(err.contains("does not fit"), "{err}");
        assert!(!format!("{identity:?}").contains("PRIVATE KEY"));
    }
}
