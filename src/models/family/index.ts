export {
  cloglogLink,
  getLink,
  identityLink,
  inverseLink,
  LINKS,
  logitLink,
  logLink,
  probitLink,
  type Link,
  type LinkName,
} from "./link.ts";
export { binomial, FAMILIES, gaussian, getFamily, poisson, resolveFamily, type Family, type FamilyName } from "./family.ts";
