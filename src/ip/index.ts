export * from './allocator.js';
export * from './ip.js';
