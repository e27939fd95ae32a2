// User-facing text of lib/crypto (zh-CN). Kept beside the code that produces it; lib/i18n/zh-CN.ts
// can take it over under a `crypto` key.

/** Beijing time (UTC+8, no daylight saving), "YYYY-MM-DD HH:mm:ss". */
export function beijingTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

export const cryptoText = {
  keyStore: {
    notFound: "签名密钥不存在",
    disabled: "签名密钥已停用，不能再用于签名",
    unwrapFailed: "签名密钥无法解封：密钥加密密钥不符，或密钥数据已被篡改",
    otherKek: "签名密钥受另一个密钥加密密钥保护，当前配置的密钥加密密钥无法使用它",
    badLabel: "密钥标签须为 1 至 100 个字符",
    signFailed: "签名失败，请稍后重试",
  },
  ca: {
    invalidSubject: "证书主体信息不完整或过长",
    keyMismatch: "证书公钥与密钥库中的密钥不一致",
    beyondRoot: "证书有效期超出平台根证书的有效期",
    badValidity: "证书有效期无效：终止时间须晚于起始时间",
  },
  chain: {
    unparsable: "证书无法解析，不是有效的 X.509 证书",
    noRoot: "平台根证书尚未建立，无法验证证书",
    algorithm: "证书签名算法不是 SM2（SM3 杂凑，OID 1.2.156.10197.1.501）",
    issuer: "证书签发者与平台根证书的主体不符，不是本平台签发的证书",
    authorityKey: "证书的颁发机构密钥标识与平台根证书不符",
    signature: "证书签名无法用平台根证书的公钥验证：证书被篡改或并非本平台签发",
    notYetValid: (at: Date, from: Date) => `证书在 ${beijingTime(at)} 尚未生效（生效时间 ${beijingTime(from)}）`,
    expired: (at: Date, until: Date) => `证书在 ${beijingTime(at)} 已过期（有效期至 ${beijingTime(until)}）`,
    rootNotValid: (at: Date) => `平台根证书在 ${beijingTime(at)} 不在有效期内`,
    revoked: (when: Date) => `证书已于 ${beijingTime(when)} 注销`,
  },
  ses: {
    unparsable: "签章数据无法解析，不是有效的 GB/T 38540 电子签章结构",
    sealUnparsable: "印章数据无法解析，不是有效的 GB/T 38540 电子印章结构",
    notDer: "数据不是 DER 编码",
    signerNotInSeal: "签章人证书不在该印章的证书列表中，不能使用该印章",
    signerKeyMismatch: "签章人证书的公钥与签名密钥不一致",
    sealNotValidAt: (at: Date, from: Date, until: Date) =>
      `印章在 ${beijingTime(at)} 不在有效期内（有效期 ${beijingTime(from)} 至 ${beijingTime(until)}）`,
    propertyInfo: "签章属性信息须为 1 至 1000 个 ASCII 字符",
    checks: {
      documentUnchanged: {
        ok: "文档自签章后未被修改",
        fail: "文档已被修改：文档的 SM3 杂凑值与签章时记录的不一致",
      },
      signerChainsToCa: {
        ok: "签章人证书由平台认证机构签发，签章时有效",
        fail: (reasons: string[]) => `签章人证书未通过验证：${reasons.join("；")}`,
      },
      signerListedInSeal: {
        ok: "签章人证书列在印章的证书列表中",
        fail: "签章人证书不在印章的证书列表中：签章人无权使用该印章",
      },
      sealValidAtSigningTime: {
        ok: "签章时印章在有效期内",
        fail: (at: Date, from: Date, until: Date) =>
          `签章时间 ${beijingTime(at)} 不在印章有效期内（${beijingTime(from)} 至 ${beijingTime(until)}）`,
      },
      sealStatusNow: {
        ok: "印章当前状态正常",
        CANCELLED: "印章现已注销；注销前所盖的签章仍然有效",
        EXPIRED: "印章现已过期；有效期内所盖的签章仍然有效",
        SUSPENDED: "印章现已暂停使用",
        UNKNOWN: "无法查询印章当前状态（印章不在本平台登记）",
        notAsked: "未查询印章当前状态",
      },
      makerSignatureValid: {
        ok: "制章人签名有效，印章数据未被篡改",
        fail: "制章人签名无效：印章数据被篡改，或制章人证书不符",
        chain: (reasons: string[]) => `制章人证书未通过验证：${reasons.join("；")}`,
      },
      signatureValid: {
        ok: "签章人的签名有效",
        fail: "签章人的签名无效：签章数据被篡改，或签名与签章人证书不符",
        algorithm: "签名算法不是 SM2（SM3 杂凑）",
        version: "签章数据版本不是 4（GB/T 38540-2020）",
      },
    },
  },
} as const;
