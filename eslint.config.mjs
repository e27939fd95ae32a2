import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  { ignores: ["node_modules/**", ".next*/**", ".data/**", "lib/generated/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "bench/results/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.property.name='$queryRawUnsafe']", message: "no $queryRawUnsafe (SECURITY.md)" }],
    },
  },
  { files: ["**/*.mjs", "**/*.js"], ...tseslint.configs.disableTypeChecked },
  {
    // One typed crypto API (issue 3): nothing outside lib/crypto touches the libraries directly.
    files: ["**/*.ts", "**/*.tsx", "**/*.mjs"],
    ignores: ["lib/crypto/**", "tests/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: [
        { name: "sm-crypto-v2", message: "Sign, verify and hash through lib/crypto (sm2.ts, keystore.ts, ses.ts)." },
        { name: "sm-crypto", message: "The original sm-crypto is the tests' independent verifier only." },
        { name: "asn1js", message: "Encode and decode DER through lib/crypto (x509.ts, ses.ts, sm2-der.ts)." },
        { name: "pkijs", message: "Build and parse certificates through lib/crypto/x509.ts and ca.ts." },
      ] }],
    },
  },
);
