// zod's own messages (type errors, NaN, …) in Chinese wherever a schema gives none of its own.
import { z } from "zod";

z.config(z.locales.zhCN());
