/**
 * The aigcmark-sm2 artifact: SM2 label signatures with SM3 content digests (GB/T 32918), by BouncyCastle.
 * {@link org.aigcmark.sm2.Sm2SignatureProvider} is found by the sdk through {@link java.util.ServiceLoader} as the
 * {@link org.aigcmark.label.SignatureProvider} of {@link org.aigcmark.label.SignatureAlgorithm#SM2}; BouncyCastle
 * is used as a private provider instance, never registered in the JVM. Without this jar SM2 keys are a usage error
 * and SM2 signatures are reported unverified. {@link org.aigcmark.sm2.C2paTestCredentials} makes the test CA and
 * C2PA claim-signing certificate of {@code keygen --alg c2pa} with BouncyCastle's certificate builder (bcpkix), which
 * this artifact already carries and the JDK lacks.
 */
package org.aigcmark.sm2;
