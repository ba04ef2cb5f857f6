import { z } from 'zod';
export declare const ECC_LEVELS: readonly ["L", "M", "Q", "H"];
export type Ecc = (typeof ECC_LEVELS)[number];
export declare const FORMATS: readonly ["png", "svg", "text"];
export type Format = (typeof FORMATS)[number];
export declare const eccSchema: z.ZodPipe<z.ZodString, z.ZodEnum<{
    L: "L";
    M: "M";
    Q: "Q";
    H: "H";
}>>;
/** The rendering options shared by POST bodies (numbers) and GET query strings (coerced). */
export declare function optionsShape(coerce: boolean): {
    format: z.ZodOptional<z.ZodEnum<{
        png: "png";
        svg: "svg";
        text: "text";
    }>>;
    ecc: z.ZodOptional<z.ZodPipe<z.ZodString, z.ZodEnum<{
        L: "L";
        M: "M";
        Q: "Q";
        H: "H";
    }>>>;
    scale: z.ZodOptional<z.ZodCoercedNumber<unknown>>;
    size: z.ZodOptional<z.ZodCoercedNumber<unknown>>;
    margin: z.ZodOptional<z.ZodCoercedNumber<unknown>>;
    dark: z.ZodOptional<z.ZodString> | z.ZodOptional<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string, string>>, z.ZodString>>;
    light: z.ZodOptional<z.ZodString> | z.ZodOptional<z.ZodPipe<z.ZodPipe<z.ZodString, z.ZodTransform<string, string>>, z.ZodString>>;
    version: z.ZodOptional<z.ZodCoercedNumber<unknown>>;
    invert: z.ZodOptional<z.ZodPipe<z.ZodEnum<{
        true: "true";
        false: "false";
    }>, z.ZodTransform<boolean, "true" | "false">>> | z.ZodOptional<z.ZodBoolean>;
};
export type RenderOptionsInput = z.output<z.ZodObject<ReturnType<typeof optionsShape>>>;
/** Options after the service defaults were applied. */
export interface RenderOptions {
    format: Format;
    ecc: Ecc;
    /** Exactly one of scale and size is set. */
    scale?: number;
    size?: number;
    margin: number;
    dark: string;
    light: string;
    version?: number;
    invert: boolean;
}
//# sourceMappingURL=options.d.ts.map