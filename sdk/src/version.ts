/** This sdk's version; plugins' `sdk` ranges are checked against it. @public */
export const SDK_VERSION = '0.1.0';
