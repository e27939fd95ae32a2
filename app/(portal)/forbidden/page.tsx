// /forbidden as an address (old bookmarks): the same words as a refused page.
export { default } from "@/app/(portal)/forbidden";
